// conlab: the command-line entry point.
#include <cstdio>

#include "harness/cli/cli.h"

int main(int argc, char** argv) { return lab::cli::main(argc, argv, stdout, stderr); }
