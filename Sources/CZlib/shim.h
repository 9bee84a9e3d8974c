#ifndef CASCADE_CZLIB_SHIM_H
#define CASCADE_CZLIB_SHIM_H
// The system z header, for the ROOT basket decompressor (EventData/ROOT).
#include <zlib.h>
#endif
