// A workshop exercise: the learner's copy of a scenario's body, as one self-contained file.
//
//   #include "harness/exercise.h"
//
//   LAB_EXERCISE(lost_update) {
//     lab::shared<int> x{0, "x"};
//     lab::thread t1([&] { x = x + 1; });
//     ...
//   }
//
// Built by `conlab exercise check` (docs/workshops.md), the file is a program: LAB_EXERCISE
// defines main(), which is conlab's whole command line with one scenario more, NAME/yours, whose
// body is the block after the macro - so `./lab run lost_update/yours` and `./lab replay TOKEN`
// work on the learner's own code. Compiled into the catalog (scenarios/NAME/exercise.cpp and
// solution.cpp, each included by a file that scenarios/CMakeLists.txt generates and that
// redefines LAB_EXERCISE as LAB_EXERCISE_IN(ns, name, broken) or fixed), the macro defines
// lab::exercise_bodies::NAME_broken() or NAME_fixed() instead, the body of the catalog's
// variant: what the learner starts from is exactly what the catalog checks.
#pragma once

#include "harness/lab.h"

namespace lab {

/// The learner's program: conlab's command line (harness/cli/cli.h) over the catalog and the
/// scenario `name`/yours running `body`. Defined in the CLI layer (harness/cli/exercise.cpp).
int exercise_main(const char* name, void (*body)(), int argc, char** argv);

}  // namespace lab

#define LAB_EXERCISE_JOIN2(a, b) a##_##b
#define LAB_EXERCISE_JOIN(a, b) LAB_EXERCISE_JOIN2(a, b)

/// The catalog's form, for a file included inside `namespace ns { ... }` (scenarios/CMakeLists.txt):
/// the body is ns::NAME_ROLE(), called by lab::exercise_bodies::NAME_ROLE().
#define LAB_EXERCISE_IN(ns, name, role)                                            \
  void LAB_EXERCISE_JOIN(name, role)();                                            \
  }                                                                                \
  namespace lab::exercise_bodies {                                                 \
  void LAB_EXERCISE_JOIN(name, role)() { ::ns::LAB_EXERCISE_JOIN(name, role)(); }  \
  }                                                                                \
  namespace ns {                                                                   \
  void LAB_EXERCISE_JOIN(name, role)()

#define LAB_EXERCISE(name)                                                                   \
  static void lab_exercise_body();                                                           \
  int main(int argc, char** argv) { return ::lab::exercise_main(#name, &lab_exercise_body, argc, argv); } \
  static void lab_exercise_body()
