#!/bin/bash
# Checks the trace HINTs (`slti x0, rs1, id`) compiled into firmware ELFs against the pipeline's list of trace
# events (pipeline/include/pipeline/trace_events.h).
# Usage: trace_hints.sh all  OBJDUMP TRACE_EVENTS_H ELF...  every event id of the list is a HINT in some ELF, and
#                                                          no HINT of the pipeline's id range is outside the list
#        trace_hints.sh none OBJDUMP TRACE_EVENTS_H ELF...  no ELF has a HINT with an id of the pipeline's range
set -u
mode=$1 objdump=$2 header=$3
shift 3
names=$(for elf in "$@"; do basename "$elf"; done | tr '\n' ' ')
first=$(sed -nE 's/^#define PIPELINE_TRACE_FIRST ([0-9]+).*/\1/p' "$header")
last=$(sed -nE 's/^#define PIPELINE_TRACE_LAST ([0-9]+).*/\1/p' "$header")
# "id NAME" per event of the X-macro list.
events=$(grep -oE 'X\(PIPELINE_TRACE_[A-Z_]+, [0-9]+' "$header" | sed -E 's/X\((PIPELINE_TRACE_[A-Z_]+), ([0-9]+)/\2 \1/')
[ -n "$first" ] && [ -n "$last" ] && [ -n "$events" ] || { echo "cannot read the event list from $header"; exit 1; }
found=$(for elf in "$@"; do "$objdump" -d "$elf"; done | sed -nE 's/.*\tslti\tzero,[a-z0-9]+,(-?[0-9]+)$/\1/p' |
        sort -un)
in_range=$(for id in $found; do [ "$id" -ge "$first" ] && [ "$id" -le "$last" ] && echo "$id"; done)
status=0
case $mode in
  all)
    while read -r id name; do
      grep -qx "$id" <<<"$in_range" || { echo "no HINT for $name ($id)"; status=1; }
    done <<<"$events"
    for id in $in_range; do
      grep -q "^$id " <<<"$events" || { echo "HINT with id $id, which is not in the event list"; status=1; }
    done
    [ $status = 0 ] && echo "every pipeline trace event ($(wc -l <<<"$events") ids) is a HINT in: $names"
    ;;
  none)
    [ -z "$in_range" ] || { echo "pipeline trace HINTs left in a build without tracing:" $in_range; status=1; }
    [ $status = 0 ] && echo "no pipeline trace HINT in: $names"
    ;;
  *) echo "usage: trace_hints.sh all|none OBJDUMP TRACE_EVENTS_H ELF..."; exit 2 ;;
esac
exit $status
