# One INTERFACE target carries the project's warning and sanitizer flags; every
# gpokit target links it, third-party code never sees it.
add_library(gpokit_flags INTERFACE)
target_compile_options(gpokit_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow)
if(GPOKIT_WERROR)
  target_compile_options(gpokit_flags INTERFACE -Werror)
endif()
if(GPOKIT_SANITIZE)
  target_compile_options(gpokit_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(gpokit_flags INTERFACE -fsanitize=address,undefined)
endif()
if(GPOKIT_FUZZ)
  target_compile_options(gpokit_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(gpokit_flags INTERFACE -fsanitize=address,undefined)
endif()
