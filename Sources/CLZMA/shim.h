#ifndef CASCADE_CLZMA_SHIM_H
#define CASCADE_CLZMA_SHIM_H
// The system lzma header, for the ROOT basket decompressor (EventData/ROOT).
#include <lzma.h>
#endif
