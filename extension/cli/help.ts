/** The text of `hotpath --help` and `hotpath help <command>`. */
import { DEFAULT_RATE_HZ, type HelpTopic, MAX_RATE_HZ, MIN_RATE_HZ } from './args';

const OUTPUT_OPTIONS = `  --format FORMAT   text (default), json (.hotpath.json, opens in VS Code), speedscope,
                    collapsed, pprof (.pb.gz: go tool pprof, Pyroscope, Parca),
                    cpuprofile (.cpuprofile: VS Code, Chrome DevTools),
                    firefox (.firefox.json: profiler.firefox.com),
                    html (one file with the panel and the painted source, for a browser)
  -o, --output FILE write the profile to FILE
  --mode MODE       text and exports: which samples count: wall (every sample), cpu
                    (where a thread was running; pprof then says cpu, not wall), gil
                    (the thread holding the GIL). Default: the mode the profile was
                    taken in (run, attach: wall); a run remembers the mode it was given
  --cpu             the same as --mode cpu
  --hide-gc         merge the garbage collector's <GC> frames into the code that set
                    each collection off
  --show-all        text: keep library and interpreter start-up frames in the tree (they
                    are merged into their callers by default), and the start-up work
                    site runs before the program (.pth files; left out by default)
  --hide-library    exports: merge library and start-up frames into their callers, as
                    the text tree does (by default exports keep every frame)

The exports hold every sample of the mode (every on-CPU one with --cpu): one whose frames are all
hidden counts as "[hidden frames]", a thread sampled with no Python frames as
"[no Python frames]". json is the whole profile, whatever these options say; html is
too, with the profiled source files (each up to 1 MiB, 16 MiB in all).`;

const SAMPLING_OPTIONS = `  --rate HZ         samples per second, ${MIN_RATE_HZ}–${MAX_RATE_HZ} (default ${DEFAULT_RATE_HZ})
  --async           also record every asyncio task (CPython 3.14+): each task on a lane
                    of its own, the task's name as the root of its stacks`;

const RUN = `hotpath run [options] script.py [args…]
hotpath run [options] -- COMMAND [args…]

Runs a Python program and profiles it from its first instruction. The program's
input and output stay on this terminal; the text report goes to stderr (or -o FILE),
other formats to a file named after the script unless -o is given. Ctrl-C stops the
program and still writes the profile; SIGINT, SIGTERM and SIGHUP sent to hotpath
(kill, timeout -s INT, a supervisor) are passed on to the program, and the profile
is written once it ends. Every Python process the program starts (multiprocessing,
subprocess, a shell or make that runs Python, fork, exec) is profiled too, and the run
lasts until the last of them exits. Exits with the program's exit code, even when it
could not be profiled (an interpreter Hotpath cannot read: the reason is on stderr);
2 when no Python process ran under the command at all.

Options:
  --python PATH     interpreter for script.py (default: python3 on PATH)
  --no-subprocesses profile only the process started, not the processes it starts
${SAMPLING_OPTIONS}
${OUTPUT_OPTIONS}

Examples:
  hotpath run app.py --input data.csv
  hotpath run --format json -o app.hotpath.json app.py
  hotpath run -- python -m pytest -x`;

const ATTACH = `hotpath attach [options] PID

Samples a running Python process until it exits, Ctrl-C, or --duration passes.
The process is never stopped or signalled. Options may come before or after the PID.

Options:
  --duration S      stop sampling after S seconds
  --subprocesses    also profile the processes it starts from now on (and their
                    children), until the last of them exits
${SAMPLING_OPTIONS}
${OUTPUT_OPTIONS}

Examples:
  hotpath attach 1234 --duration 5
  hotpath attach 1234 --subprocesses
  hotpath attach 1234 --format json -o server.hotpath.json`;

const REPORT = `hotpath report [options] FILE.hotpath.json
hotpath report --compare [options] BASE.hotpath.json NEW.hotpath.json

Renders a saved profile (text tree to stdout by default) or converts it.

With --compare, says what got slower and what got faster from BASE to NEW: the
biggest changes by function and by line (self time) and by call path (total time),
leaving out changes within sampling noise; --format json lists every entry for
scripts. Library and start-up frames count in their callers unless --show-all.

Options:
${OUTPUT_OPTIONS}
  --compare         compare two profiles, the baseline first (text or json)
  --scale SCALE     how --compare makes times comparable: auto (default: absolute when
                    both programs ran to their end, else per-second), absolute (as
                    measured), per-second (per second of wall-clock time: runs stopped
                    or attached for different lengths), share (of each run's time)

Examples:
  hotpath report app.hotpath.json
  hotpath report --compare before.hotpath.json after.hotpath.json
  hotpath report --format collapsed app.hotpath.json | flamegraph.pl > app.svg
  hotpath report --format pprof -o app.pb.gz app.hotpath.json && go tool pprof -http=: app.pb.gz`;

const DUMP = `hotpath dump [--json] [--async] [--subprocesses] PID

Prints every thread of a running Python process once: its name, OS thread id,
whether it is running or waiting, and its stack, innermost frame first, as
function (file:line). Running means it holds the GIL or the kernel has it running
or ready to run (as the profiler's on-CPU time); anything else is waiting. The
process is read once, never stopped or signalled. "Where does my program hang?"

Options:
  --json            one JSON object for scripts (README.md, "hotpath dump")
  --async           also every asyncio task: its name, what it awaits (its coroutines,
                    innermost first; a running task down to the executing frame), each
                    task under the tasks awaiting it. CPython 3.14+ (which describes its
                    tasks to outside readers); an error on older versions
  --subprocesses    also every process it started (at any depth), each read once,
                    one section per process, parents first

Examples:
  hotpath dump 1234
  hotpath dump --subprocesses 1234
  hotpath dump --json 1234 | jq '.threads[] | select(.state == "running") | .name'`;

const MCP = `hotpath mcp

Serves the Model Context Protocol on stdin and stdout, for AI agents outside VS Code
(add it to the client as a stdio server with the command \`npx hotpath mcp\`). Two tools:
profile runs a Python script or command under the profiler (its output captured) and
answers with the hot lines, functions and call paths as text; read_profile reads the
last or a saved profile. The client asks the user before a tool runs code.`;

export function helpText(topic?: HelpTopic): string {
  if (topic === 'mcp') return MCP;
  if (topic === 'dump') return DUMP;
  if (topic === 'run') return RUN;
  if (topic === 'attach') return ATTACH;
  if (topic === 'report') return REPORT;
  return `hotpath — a sampling profiler for Python (CPython 3.8–3.15)

Usage:
  hotpath run [options] script.py [args…]    profile a script
  hotpath run [options] -- COMMAND [args…]   profile a command (python -m pytest, …)
  hotpath attach [options] PID               profile a running process
  hotpath report [options] FILE              show or convert a saved profile
  hotpath report --compare BASE NEW          what got slower, what got faster
  hotpath dump [--json] [--async] PID        print every thread's current stack once
  hotpath mcp                                tools for AI agents (Model Context Protocol)
  hotpath help COMMAND                       options of a command
  hotpath --version

Exit status: run exits with the program's own exit code (128 + signal number when it
was killed), also when profiling failed while it ran (the reason is on stderr); 2 when
hotpath could not start it, when no Python process ran under it, for bad usage, and
when attach, report or dump could not profile or read (the message says why and what
to do).`;
}
