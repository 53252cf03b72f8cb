#ifndef DNSR_XML_SHIM_H
#define DNSR_XML_SHIM_H
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, so libxml/encoding.h includes the system <unicode/ucnv.h>.
   Foundation ships its own ICU (_FoundationICU) with a different `enum UErrorCode`; a Swift module
   that sees both (anything importing DNSReconcileCore, which imports Foundation) fails with
   "'U_MF_…' from module '_FoundationICU' is not present in definition of 'enum UErrorCode'".
   Nothing here uses libxml2's ICU converters, so their declarations are left out. The only
   effect is two trailing pointer fields missing from xmlCharEncodingHandler, a struct this
   package never allocates or reads. */
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlmemory.h>

/* xmlFree is a global function pointer, which Swift 6 rejects as shared mutable state. */
static inline void dnsr_xml_free(void *p) { xmlFree(p); }

#endif
