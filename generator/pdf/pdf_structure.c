/* pdf_structure.c - tagged PDF: not yet; every hook is a no-op. */
#include "pdf/pdf_internal.h"

int pdf_structure_begin(pdf_writer *w) { (void)w; return 1; }
void pdf_structure_free(pdf_writer *w) { (void)w; }
void pdf_structure_page_begin(pdf_writer *w, int number) { (void)w; (void)number; }
void pdf_structure_page_end(pdf_writer *w) { (void)w; }
void pdf_structure_content(pdf_writer *w) { (void)w; }
void pdf_structure_begin_node(pdf_writer *w, int node_id, int role) { (void)w; (void)node_id; (void)role; }
void pdf_structure_end_node(pdf_writer *w) { (void)w; }
void pdf_structure_artifact(pdf_writer *w, int begin) { (void)w; (void)begin; }
void pdf_structure_link(pdf_writer *w, int link_index) { (void)w; (void)link_index; }
void pdf_structure_link_annot(pdf_writer *w, int link_index, HPDF_Annotation annot, int page) {
  (void)w; (void)link_index; (void)annot; (void)page;
}
int pdf_structure_finish(pdf_writer *w) { (void)w; return 1; }
