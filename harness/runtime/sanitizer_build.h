// Which sanitizer this translation unit is compiled under, for g++ and clang++ alike.
#pragma once

// g++ defines __SANITIZE_THREAD__ / __SANITIZE_ADDRESS__; clang++ 16 defines neither and answers
// __has_feature instead. Everything that depends on the sanitizer (the fiber annotations, tests
// that only mean something under one) asks these two macros, never the compiler's own.
//   CONLAB_TSAN  1 under -fsanitize=thread, else 0
//   CONLAB_ASAN  1 under -fsanitize=address, else 0

#if defined(__SANITIZE_THREAD__)
#define CONLAB_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CONLAB_TSAN 1
#endif
#endif
#ifndef CONLAB_TSAN
#define CONLAB_TSAN 0
#endif

#if defined(__SANITIZE_ADDRESS__)
#define CONLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONLAB_ASAN 1
#endif
#endif
#ifndef CONLAB_ASAN
#define CONLAB_ASAN 0
#endif
