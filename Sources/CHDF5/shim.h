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

// EventData: file types written (little-endian standard types), bitfields, limits and
// creation-order flags (macros in hdf5.h).
static inline hid_t cascade_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t cascade_H5T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline hid_t cascade_H5T_STD_I16LE(void) { return H5T_STD_I16LE; }
static inline hid_t cascade_H5T_STD_I32LE(void) { return H5T_STD_I32LE; }
static inline hid_t cascade_H5T_STD_I64LE(void) { return H5T_STD_I64LE; }
static inline hid_t cascade_H5T_STD_U8LE(void) { return H5T_STD_U8LE; }
static inline hid_t cascade_H5T_STD_U16LE(void) { return H5T_STD_U16LE; }
static inline hid_t cascade_H5T_STD_U32LE(void) { return H5T_STD_U32LE; }
static inline hid_t cascade_H5T_STD_U64LE(void) { return H5T_STD_U64LE; }
static inline hid_t cascade_H5T_NATIVE_B8(void) { return H5T_NATIVE_B8; }
static inline hid_t cascade_H5P_GROUP_CREATE(void) { return H5P_GROUP_CREATE; }
static inline hid_t cascade_H5P_FILE_CREATE(void) { return H5P_FILE_CREATE; }
static inline hsize_t cascade_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline size_t cascade_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline unsigned cascade_H5P_CRT_ORDER_TRACKED(void) { return H5P_CRT_ORDER_TRACKED; }
static inline unsigned cascade_H5P_CRT_ORDER_INDEXED(void) { return H5P_CRT_ORDER_INDEXED; }
/// Closes any HDF5 id by its kind (file, group, dataset, datatype, dataspace, attribute, plist).
static inline herr_t cascade_H5close_id(hid_t id) {
  switch (H5Iget_type(id)) {
  case H5I_FILE: return H5Fclose(id);
  case H5I_GROUP: return H5Gclose(id);
  case H5I_DATASET: return H5Dclose(id);
  case H5I_DATATYPE: return H5Tclose(id);
  case H5I_DATASPACE: return H5Sclose(id);
  case H5I_ATTR: return H5Aclose(id);
  case H5I_GENPROP_LST: return H5Pclose(id);
  default: return -1;
  }
}
static inline int cascade_H5Z_FILTER_DEFLATE(void) { return H5Z_FILTER_DEFLATE; }
static inline int cascade_H5Z_FILTER_SHUFFLE(void) { return H5Z_FILTER_SHUFFLE; }
#endif
