/* pdf_metadata.c - what an archive checks besides the pages: the document
 * information dictionary and the XMP packet that must agree with it, the
 * sRGB output intent, and a file identifier derived from the content.
 * Dates never come from the clock. */
#include <fcntl.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdf/pdf_internal.h"
#include "util/i18n.h"

typedef struct text_buf {
  char *data;
  size_t len, cap;
  int failed;
} text_buf;

static void put(text_buf *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->len + n + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
      b->failed = 1;
      return;
    }
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static void puts_(text_buf *b, const char *s) { put(b, s, strlen(s)); }

static void put_escaped(text_buf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
      case '&': puts_(b, "&amp;"); break;
      case '<': puts_(b, "&lt;"); break;
      case '>': puts_(b, "&gt;"); break;
      case '"': puts_(b, "&quot;"); break;
      default: put(b, s, 1);
    }
  }
}

static void element(text_buf *b, const char *name, const char *value) {
  if (!value || !*value) return;
  puts_(b, "<");
  puts_(b, name);
  puts_(b, ">");
  put_escaped(b, value);
  puts_(b, "</");
  puts_(b, name);
  puts_(b, ">\n");
}

/* Lengths were checked before writing began (pdf_input_check). */
static int info_text(pdf_writer *w, const char *key, const char *value) {
  if (!value || !*value) return 1;
  return pdf_ok(w, HPDF_Dict_Add(w->pdf->info, key, pdf_text_string(w, value)),
                N_("the document information"));
}

#define PRODUCER "bilaga " BILAGA_VERSION " (libharu " HPDF_VERSION_TEXT ")"
#define CREATOR "bilaga " BILAGA_VERSION

static HPDF_STATUS write_xmp(pdf_writer *w, const char *date) {
  const pdf_document_info *d = &w->info;
  text_buf b = {0};
  const pdf_options *o = &w->options;
  puts_(&b, "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
  if (o->pdfa_part) { /* what the file claims: ISO 19005-1 or -2, and the level */
    char id[256];
    snprintf(id, sizeof id,
             "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
             "<pdfaid:part>%d</pdfaid:part>\n<pdfaid:conformance>%c</pdfaid:conformance>\n"
             "</rdf:Description>\n",
             o->pdfa_part, o->pdfa_level);
    puts_(&b, id);
  }
  if (o->pdfua)
    puts_(&b, "<rdf:Description rdf:about=\"\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
              "<pdfuaid:part>1</pdfuaid:part>\n</rdf:Description>\n");
  puts_(&b, "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
            "<dc:format>application/pdf</dc:format>\n");
  if (d->title) {
    puts_(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    put_escaped(&b, d->title);
    puts_(&b, "</rdf:li></rdf:Alt></dc:title>\n");
  }
  if (d->author) {
    puts_(&b, "<dc:creator><rdf:Seq><rdf:li>");
    put_escaped(&b, d->author);
    puts_(&b, "</rdf:li></rdf:Seq></dc:creator>\n");
  }
  if (d->subject) {
    puts_(&b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    put_escaped(&b, d->subject);
    puts_(&b, "</rdf:li></rdf:Alt></dc:description>\n");
  }
  puts_(&b, "<dc:language><rdf:Bag><rdf:li>");
  put_escaped(&b, d->lang ? d->lang : "sv-SE");
  puts_(&b, "</rdf:li></rdf:Bag></dc:language>\n</rdf:Description>\n"
            "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
  element(&b, "pdf:Producer", PRODUCER);
  element(&b, "pdf:Keywords", d->keywords);
  puts_(&b, "</rdf:Description>\n<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
  element(&b, "xmp:CreatorTool", CREATOR);
  element(&b, "xmp:CreateDate", date);
  element(&b, "xmp:ModifyDate", date);
  element(&b, "xmp:MetadataDate", date);
  puts_(&b, "</rdf:Description>\n");
  /* Report metadata of our own, declared as PDF/A-1 requires for any
   * schema outside the predefined ones. */
  puts_(&b, "<rdf:Description rdf:about=\"\" xmlns:bilaga=\"urn:bilaga:metadata:1/\">\n");
  element(&b, "bilaga:diaryNumber", d->diary_number);
  element(&b, "bilaga:attachment", d->attachment);
  element(&b, "bilaga:board", d->board);
  element(&b, "bilaga:period", d->period);
  puts_(&b, "</rdf:Description>\n"
            "<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\""
            " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\""
            " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
            "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
            "<pdfaSchema:schema>bilaga report metadata</pdfaSchema:schema>\n"
            "<pdfaSchema:namespaceURI>urn:bilaga:metadata:1/</pdfaSchema:namespaceURI>\n"
            "<pdfaSchema:prefix>bilaga</pdfaSchema:prefix>\n"
            "<pdfaSchema:property><rdf:Seq>\n");
  static const char *const props[][2] = {
      {"diaryNumber", "Diary number (diarienummer) of the matter the report belongs to"},
      {"attachment", "Attachment label (bilaga) within the decision memo"},
      {"board", "Board (nämnd) that reports"},
      {"period", "Reporting period"},
  };
  for (size_t i = 0; i < sizeof props / sizeof *props; i++) {
    puts_(&b, "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>");
    puts_(&b, props[i][0]);
    puts_(&b, "</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>"
              "<pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>");
    put_escaped(&b, props[i][1]);
    puts_(&b, "</pdfaProperty:description></rdf:li>\n");
  }
  puts_(&b, "</rdf:Seq></pdfaSchema:property>\n</rdf:li>");
  /* PDF/A knows no pdfuaid schema of its own: it is declared like ours */
  if (o->pdfua)
    puts_(&b, "<rdf:li rdf:parseType=\"Resource\">\n"
              "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
              "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
              "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
              "<pdfaSchema:property><rdf:Seq>\n"
              "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>part</pdfaProperty:name>"
              "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
              "<pdfaProperty:category>internal</pdfaProperty:category><pdfaProperty:description>"
              "Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description></rdf:li>\n"
              "</rdf:Seq></pdfaSchema:property>\n</rdf:li>");
  puts_(&b, "</rdf:Bag></pdfaExtension:schemas>\n"
            "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
  if (b.failed) {
    free(b.data);
    return HPDF_FAILD_TO_ALLOC_MEM;
  }
  /* PDF/A-1 wants the metadata stream unfiltered, so anyone can read it */
  HPDF_Dict xmp = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
  HPDF_STATUS st = xmp ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
  if (xmp) {
    xmp->filter = HPDF_STREAM_FILTER_NONE;
    HPDF_Dict_AddName(xmp, "Type", "Metadata");
    HPDF_Dict_AddName(xmp, "Subtype", "XML");
    st = HPDF_Stream_Write(xmp->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    if (st == HPDF_OK) st = HPDF_Dict_Add(w->pdf->catalog, "Metadata", xmp);
  }
  free(b.data);
  return st;
}

/* The whole profile, from a regular file only (a FIFO must not block the
 * render); NULL with *why set on failure. */
static unsigned char *read_profile(const char *path, size_t *length, const char **why) {
  enum { MAX_PROFILE = 4 << 20 };
  *why = _("cannot be read");
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  unsigned char *data = NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    *why = _("is not a regular file");
  } else if (st.st_size < 128 || st.st_size > MAX_PROFILE) {
    *why = st.st_size < 128 ? _("is too short for an ICC profile") : _("is larger than 4 MiB");
  } else if ((data = malloc((size_t)st.st_size))) {
    size_t n = 0;
    ssize_t got = 1;
    while (n < (size_t)st.st_size && (got = read(fd, data + n, (size_t)st.st_size - n)) > 0) n += (size_t)got;
    if (n != (size_t)st.st_size) {
      free(data);
      data = NULL;
    }
    *length = n;
  }
  close(fd);
  return data;
}

static HPDF_STATUS write_output_intent(pdf_writer *w) {
  const char *dir = w->options.data_dir ? w->options.data_dir : ".";
  size_t pn = strlen(dir) + sizeof "/templates/icc/sRGB.icc";
  char *path = malloc(pn);
  if (!path) return HPDF_FAILD_TO_ALLOC_MEM;
  snprintf(path, pn, "%s/templates/icc/sRGB.icc", dir);
  size_t n = 0;
  const char *why;
  unsigned char *data = read_profile(path, &n, &why);
  if (!data) {
    pdf_fail(w, HPDF_FILE_IO_ERROR, _("%s, the sRGB profile that PDF/A output needs, %s"), path, why);
    free(path);
    return HPDF_FILE_IO_ERROR;
  }
  free(path);
  HPDF_MMgr mm = w->pdf->mmgr;
  HPDF_Dict icc = HPDF_DictStream_New(mm, w->pdf->xref);
  if (!icc) {
    free(data);
    return HPDF_FAILD_TO_ALLOC_MEM;
  }
  icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  HPDF_Dict_AddNumber(icc, "N", 3);
  HPDF_Stream_Write(icc->stream, data, (HPDF_UINT)n);
  free(data);
  HPDF_Dict intent = HPDF_Dict_New(mm);
  HPDF_Array intents = HPDF_Array_New(mm);
  if (!intent || !intents) return HPDF_FAILD_TO_ALLOC_MEM;
  HPDF_Dict_AddName(intent, "Type", "OutputIntent");
  HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
  HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
  HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(mm, "http://www.color.org", NULL));
  HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
  HPDF_Dict_Add(intent, "DestOutputProfile", icc);
  HPDF_Array_Add(intents, intent);
  return HPDF_Dict_Add(w->pdf->catalog, "OutputIntents", intents);
}

/* The file identifier: a digest of the caller's seed (the content) and the
 * page count, so the same input gives the same bytes and different content
 * a different ID. */
static HPDF_STATUS write_id(pdf_writer *w) {
  HPDF_MD5_CTX md5;
  HPDF_MD5Init(&md5);
  /* in pieces: MD5Update takes 32-bit lengths */
  const unsigned char *seed = w->info.id_seed;
  for (size_t left = w->info.id_seed_length; left > 0;) {
    size_t n = left < (1u << 30) ? left : (1u << 30);
    HPDF_MD5Update(&md5, seed, (HPDF_UINT32)n);
    seed += n, left -= n;
  }
  char pages[32];
  snprintf(pages, sizeof pages, "%d", w->page_count);
  HPDF_MD5Update(&md5, (const HPDF_BYTE *)pages, (HPDF_UINT32)strlen(pages));
  HPDF_BYTE digest[16];
  HPDF_MD5Final(digest, &md5);
  HPDF_Array id = HPDF_Array_New(w->pdf->mmgr);
  if (!id) return HPDF_FAILD_TO_ALLOC_MEM;
  HPDF_Array_Add(id, HPDF_Binary_New(w->pdf->mmgr, digest, 16));
  HPDF_Array_Add(id, HPDF_Binary_New(w->pdf->mmgr, digest, 16));
  return HPDF_Dict_Add(w->pdf->trailer, "ID", id);
}

/* The UTC calendar date and time of seconds since 1970 (proleptic
 * Gregorian; days to civil as in H. Hinnant's date algorithms). */
static HPDF_Date utc_date(long long epoch) {
  long long days = epoch / 86400, secs = epoch % 86400;
  if (secs < 0) secs += 86400, days--;
  long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int day = (int)(doy - (153 * mp + 2) / 5 + 1), month = (int)(mp < 10 ? mp + 3 : mp - 9);
  int year = (int)(yoe + era * 400 + (month <= 2));
  /* '+' with zero offset: PDFBox refuses the 'Z00'00'' form */
  return (HPDF_Date){year, month, day, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), '+', 0, 0};
}

int pdf_metadata_write(pdf_writer *w) {
  const pdf_document_info *d = &w->info;
  /* the first call creates the information dictionary */
  if (!pdf_ok(w, HPDF_SetInfoAttr(w->pdf, HPDF_INFO_PRODUCER, PRODUCER), N_("the document information")) ||
      !pdf_ok(w, HPDF_SetInfoAttr(w->pdf, HPDF_INFO_CREATOR, CREATOR), N_("the document information")) ||
      !info_text(w, "Title", d->title) || !info_text(w, "Author", d->author) ||
      !info_text(w, "Subject", d->subject) || !info_text(w, "Keywords", d->keywords))
    return 0;
  char xmp_date[40] = "";
  if (d->date_epoch != PDF_NO_DATE) {
    /* the caller keeps dates within years 0001-9999, all PDF and XMP can write */
    HPDF_Date date = utc_date(d->date_epoch);
    if (!pdf_ok(w, HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, date), N_("the creation date")) ||
        !pdf_ok(w, HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date), N_("the modification date")))
      return 0;
    snprintf(xmp_date, sizeof xmp_date, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", date.year, date.month, date.day,
             date.hour, date.minutes, date.seconds);
  }
  if (!pdf_ok(w, write_id(w), N_("the file identifier"))) return 0;
  const pdf_options *o = &w->options;
  /* PDF/A-1 is PDF 1.4; PDF/A-2, and a tagged file without a claim (row
   * groups, /Tabs), PDF 1.7 */
  if (o->pdfa_part == 1) w->pdf->pdf_version = HPDF_VER_14;
  else if (o->pdfa_part == 2 || o->tagged) w->pdf->pdf_version = HPDF_VER_17;
  /* XMP for a claim, and for a tagged file (its title, for PDF/UA) */
  if (!o->pdfa_part && !o->pdfua && !o->tagged) return 1;
  if (!pdf_ok(w, write_xmp(w, xmp_date[0] ? xmp_date : NULL), N_("the XMP metadata"))) return 0;
  return !o->pdfa_part || pdf_ok(w, write_output_intent(w), N_("the output intent"));
}
