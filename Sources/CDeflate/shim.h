#ifndef CASCADE_CDEFLATE_SHIM_H
#define CASCADE_CDEFLATE_SHIM_H
// libdeflate: whole-buffer zlib-format deflate and inflate of HDF5 chunks (EventData).
#include <libdeflate.h>
#endif
