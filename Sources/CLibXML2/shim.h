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

/* Some libxml2 diagnostics (encoding conversion failures in a body that declares an encoding it
   does not hold) bypass the reader's structured handler and go to the generic handler, which
   prints to stderr. They would break the one-line-per-event log; the reader reports the
   failure itself. The handler is C-variadic, so it is defined here. */
static void dnsr_xml_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}
static inline void dnsr_xml_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, dnsr_xml_ignore_generic_error);
}

#endif
