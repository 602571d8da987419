# orderstream_embed_files(TARGET SYMBOL_PREFIX file...): links each file into TARGET as bytes
# with `extern const char <prefix><n>_begin[], <prefix><n>_end[]` (n counts from 0), using
# the assembler's .incbin so large files (GraphiQL) cost no compile time.
function(orderstream_embed_files target prefix)
  set(asm ${CMAKE_CURRENT_BINARY_DIR}/${prefix}embedded.S)
  set(body "    .section .rodata\n")
  set(index 0)
  foreach(file ${ARGN})
    if(NOT EXISTS ${file})
      message(FATAL_ERROR "${file} is missing: run scripts/deps.sh (it installs the npm packages) first")
    endif()
    string(APPEND body "    .global ${prefix}${index}_begin\n    .global ${prefix}${index}_end\n"
                       "    .balign 16\n${prefix}${index}_begin:\n    .incbin \"${file}\"\n${prefix}${index}_end:\n"
                       "    .byte 0\n")
    math(EXPR index "${index} + 1")
  endforeach()
  string(APPEND body "    .section .note.GNU-stack,\"\",@progbits\n")
  file(CONFIGURE OUTPUT ${asm} CONTENT "${body}")
  set_source_files_properties(${asm} PROPERTIES OBJECT_DEPENDS "${ARGN}")
  target_sources(${target} PRIVATE ${asm})
endfunction()
