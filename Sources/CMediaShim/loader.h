// Opens shared libraries with dlopen and fills tables of function pointers from them: how FFmpeg
// and libheif are loaded on first use (ffmpeg.c, heif.c). Internal to CMediaShim.
#ifndef MB_LOADER_H
#define MB_LOADER_H

#include <pthread.h>
#include <stddef.h>

#include "CMediaShim.h"

/// "libavformat.so." "59" from LIBAVFORMAT_VERSION_MAJOR: a soname from the headers' version.
#define MB_STRING(x) MB_STRING_(x)
#define MB_STRING_(x) #x

/// A shared library, named by the soname the headers were built against.
typedef struct {
  const char *soname;   ///< e.g. "libavformat.so.59"
  const char *package;  ///< the Debian package that installs it, e.g. "libavformat59"
  void *handle;         ///< set by mb_open_libraries
} mb_library;

/// A function to look up in `libraries[library]`; its address is stored in `*slot`.
typedef struct {
  size_t library;
  const char *name;
  void **slot;
} mb_symbol;

/// Opens `libraries` in order (RTLD_NOW | RTLD_LOCAL) and resolves every symbol. On failure, closes
/// what it opened, clears the slots and writes e.g. `cannot load libavformat.so.59 (install
/// libavformat59): <dlerror>` into `message`.
mb_status mb_open_libraries(mb_library *libraries, size_t library_count, const mb_symbol *symbols,
                            size_t symbol_count, char *message, size_t message_capacity);

/// A set of libraries loaded once per process, on first use, by whichever thread comes first.
typedef struct {
  pthread_mutex_t lock;
  int done;
  mb_status status;
  char failure[512];
  mb_library *libraries;
  size_t library_count;
  const mb_symbol *symbols;
  size_t symbol_count;
} mb_lazy_libraries;

#define MB_LAZY_LIBRARIES(libraries, symbols)                                                          \
  {PTHREAD_MUTEX_INITIALIZER, 0, MB_OK, "", libraries, sizeof libraries / sizeof *libraries, symbols, \
   sizeof symbols / sizeof *symbols}

/// Opens `lazy`'s libraries the first time (mb_open_libraries), and says again how that went every
/// later time; on failure, writes the reason into `message`.
mb_status mb_load_once(mb_lazy_libraries *lazy, char *message, size_t message_capacity);

#endif
