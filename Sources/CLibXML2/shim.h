#ifndef DNSR_XML_SHIM_H
#define DNSR_XML_SHIM_H
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlmemory.h>

/* xmlFree is a global function pointer, which Swift 6 rejects as shared mutable state. */
static inline void dnsr_xml_free(void *p) { xmlFree(p); }

#endif
