# The manual pages (build/.../man/*.1) and the bash completion script
# (build/.../completion/gpokit), written at build time by gpokit_docs from the same CLI11
# definitions as --help, so neither can fall behind the code. gpokit_docs refuses a page
# list that differs from the command groups gpokit has.
set(GPOKIT_MAN_PAGES gpokit gpokit-pol gpokit-gpo gpokit-kerberos gpokit-policy gpokit-diff gpokit-live
  gpokit-trust gpokit-stage)
set(GPOKIT_MAN_DIR ${CMAKE_BINARY_DIR}/man)
set(GPOKIT_BASH_COMPLETION ${CMAKE_BINARY_DIR}/completion/gpokit)

# No date from the clock: the pages carry SOURCE_DATE_EPOCH's date when it is set at
# configure time (string(TIMESTAMP) reads it), and none otherwise.
set(man_date_args)
if(DEFINED ENV{SOURCE_DATE_EPOCH})
  string(TIMESTAMP man_date "%Y-%m-%d" UTC)
  set(man_date_args --date ${man_date})
endif()

set(man_files)
foreach(page ${GPOKIT_MAN_PAGES})
  list(APPEND man_files ${GPOKIT_MAN_DIR}/${page}.1)
endforeach()
add_custom_command(OUTPUT ${man_files}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${GPOKIT_MAN_DIR}
  COMMAND gpokit_docs man ${GPOKIT_MAN_DIR} ${man_date_args} ${GPOKIT_MAN_PAGES}
  DEPENDS gpokit_docs
  COMMENT "Writing the manual pages"
  VERBATIM)
add_custom_command(OUTPUT ${GPOKIT_BASH_COMPLETION}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/completion
  COMMAND gpokit_docs bash-completion ${GPOKIT_BASH_COMPLETION}
  DEPENDS gpokit_docs
  COMMENT "Writing the bash completion script"
  VERBATIM)
add_custom_target(gpokit_docs_output ALL DEPENDS ${man_files} ${GPOKIT_BASH_COMPLETION})

install(FILES ${man_files} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${GPOKIT_BASH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
