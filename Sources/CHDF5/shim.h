#ifndef CASCADE_CHDF5_SHIM_H
#define CASCADE_CHDF5_SHIM_H
// HDF5 exposes its type ids and property defaults as macros that expand to global
// variables behind H5open(); Swift cannot import them, so each gets a tiny inline function.
#include <hdf5.h>

static inline hid_t cascade_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t cascade_H5S_ALL(void) { return H5S_ALL; }
static inline unsigned cascade_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned cascade_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned cascade_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline hid_t cascade_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t cascade_H5P_DATASET_XFER(void) { return H5P_DATASET_XFER; }
static inline hid_t cascade_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t cascade_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t cascade_H5T_C_S1(void) { return H5T_C_S1; }

static inline hid_t cascade_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t cascade_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t cascade_H5T_NATIVE_INT8(void) { return H5T_NATIVE_INT8; }
static inline hid_t cascade_H5T_NATIVE_INT16(void) { return H5T_NATIVE_INT16; }
static inline hid_t cascade_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t cascade_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t cascade_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t cascade_H5T_NATIVE_UINT16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t cascade_H5T_NATIVE_UINT32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t cascade_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t cascade_H5T_NATIVE_HBOOL(void) { return H5T_NATIVE_HBOOL; }
static inline hid_t cascade_H5T_STD_I8LE(void) { return H5T_STD_I8LE; }

static inline herr_t cascade_H5Eset_auto_off(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
