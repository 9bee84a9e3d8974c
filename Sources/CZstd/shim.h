#ifndef CASCADE_CZSTD_SHIM_H
#define CASCADE_CZSTD_SHIM_H
// The system zstd header, for the ROOT basket decompressor (EventData/ROOT).
#include <zstd.h>
#endif
