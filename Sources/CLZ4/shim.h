#ifndef CASCADE_CLZ4_SHIM_H
#define CASCADE_CLZ4_SHIM_H
// The system lz4 header, for the ROOT basket decompressor (EventData/ROOT).
#include <lz4.h>
#endif
