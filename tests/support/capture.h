// Test helper: run the conlab command line in-process and capture what it prints.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "harness/cli/cli.h"

namespace lab::test {

struct cli_result {
  int code = 0;
  std::string out, err;
};

inline std::string slurp(std::FILE* f) {
  std::string s;
  std::rewind(f);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  std::fclose(f);
  return s;
}

inline cli_result run_cli(std::vector<std::string> args) {
  args.insert(args.begin(), "conlab");
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  cli_result r;
  r.code = cli::main(static_cast<int>(argv.size()), argv.data(), out, err);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace lab::test
