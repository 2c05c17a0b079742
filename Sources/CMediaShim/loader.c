#include "loader.h"

#include <dlfcn.h>
#include <stdio.h>

mb_status mb_load_once(mb_lazy_libraries *lazy, char *message, size_t message_capacity) {
  pthread_mutex_lock(&lazy->lock);
  if (!lazy->done) {
    lazy->status = mb_open_libraries(lazy->libraries, lazy->library_count, lazy->symbols, lazy->symbol_count,
                                     lazy->failure, sizeof lazy->failure);
    lazy->done = 1;
  }
  mb_status status = lazy->status;
  pthread_mutex_unlock(&lazy->lock);
  if (status != MB_OK) snprintf(message, message_capacity, "%s", lazy->failure);
  return status;
}

static void close_libraries(mb_library *libraries, size_t count) {
  while (count > 0) {
    count -= 1;
    if (libraries[count].handle != NULL) dlclose(libraries[count].handle);
    libraries[count].handle = NULL;
  }
}

mb_status mb_open_libraries(mb_library *libraries, size_t library_count, const mb_symbol *symbols,
                            size_t symbol_count, char *message, size_t message_capacity) {
  for (size_t i = 0; i < library_count; i++) {
    libraries[i].handle = dlopen(libraries[i].soname, RTLD_NOW | RTLD_LOCAL);
    if (libraries[i].handle == NULL) {
      const char *reason = dlerror();
      snprintf(message, message_capacity, "cannot load %s (install %s): %s", libraries[i].soname,
               libraries[i].package, reason ? reason : "dlopen failed");
      close_libraries(libraries, i);
      return MB_ERROR;
    }
  }
  for (size_t i = 0; i < symbol_count; i++) {
    const mb_library *library = &libraries[symbols[i].library];
    dlerror();
    void *address = dlsym(library->handle, symbols[i].name);
    if (address == NULL) {
      const char *reason = dlerror();
      // The library is there but is not the version the headers describe.
      snprintf(message, message_capacity, "cannot load %s (install %s): no function %s in it (%s)",
               library->soname, library->package, symbols[i].name, reason ? reason : "dlsym failed");
      for (size_t j = 0; j < symbol_count; j++) *symbols[j].slot = NULL;
      close_libraries(libraries, library_count);
      return MB_ERROR;
    }
    *symbols[i].slot = address;
  }
  return MB_OK;
}
