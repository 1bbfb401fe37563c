# SPDX-License-Identifier: Apache-2.0
# A man page from a program's --help: `cmake -DBIN=... -DNAME=... -DOUT=... [-DSUBCOMMANDS=a,b]
# -P man_page.cmake`. The help text is the manual (one source of truth); each subcommand's
# --help becomes a section of its own.
string(REPLACE "," ";" SUBCOMMANDS "${SUBCOMMANDS}")
execute_process(COMMAND ${BIN} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BIN} --help failed (${rc})")
endif()
string(REPLACE "${BIN}" "${NAME}" help "${help}")  # Usage: names the program, not the build
string(TOUPPER "${NAME}" upper)
# roff: a backslash is written \e, a line starting with . or ' is escaped.
function(roff text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()
roff("${help}" help)
set(page ".TH ${upper} 1 \"\" \"cordon ${VERSION}\" \"cordon manual\"\n.SH NAME\n${NAME} \\- ")
string(REGEX MATCH "^[^\n]*" first "${help}")
string(REGEX REPLACE "^${NAME}: " "" first "${first}")
string(APPEND page "${first}\n.SH SYNOPSIS AND OPTIONS\n.nf\n${help}\n.fi\n")
foreach(sub IN LISTS SUBCOMMANDS)
  execute_process(COMMAND ${BIN} ${sub} --help OUTPUT_VARIABLE sub_help RESULT_VARIABLE rc)
  if(rc EQUAL 0)
    string(REPLACE "${BIN}" "${NAME}" sub_help "${sub_help}")
    roff("${sub_help}" sub_help)
    string(APPEND page ".SH ${NAME} ${sub}\n.nf\n${sub_help}\n.fi\n")
  endif()
endforeach()
string(APPEND page ".SH SEE ALSO\nThe manual in /usr/share/doc/cordon (docs/*.md): scenario files, models, batch work, calibration, the viewer.\n")
file(WRITE "${OUT}" "${page}")
