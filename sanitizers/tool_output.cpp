// The parsers: line-oriented, tolerant of what they do not know (tools add lines between
// versions), strict about what makes a frame (a file and a line number).
#include "sanitizers/tool_output.h"

#include <cctype>
#include <optional>

namespace lab {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

/// "FILE:LINE" or "FILE:LINE:COL" -> file and line. A leading "./" is dropped: clang++ builds
/// record the compilation directory as "." (cmake/conlab.cmake), so their tools print
/// "./scenarios/x.cpp" where g++ builds' print "scenarios/x.cpp".
std::optional<std::pair<std::string, int>> file_line(std::string_view s) {
  auto c1 = s.rfind(':');
  if (c1 == std::string_view::npos) return std::nullopt;
  std::string_view last = s.substr(c1 + 1), rest = s.substr(0, c1);
  if (!all_digits(last)) return std::nullopt;
  if (auto c2 = rest.rfind(':'); c2 != std::string_view::npos && all_digits(rest.substr(c2 + 1))) {
    last = rest.substr(c2 + 1);
    rest = rest.substr(0, c2);
  }
  while (rest.starts_with("./")) rest.remove_prefix(2);
  if (rest.empty()) return std::nullopt;
  return std::pair{std::string(rest), std::stoi(std::string(last))};
}

/// Skips "0x1234 in " (ASan, gdb), if present.
std::string_view skip_pc(std::string_view s) {
  if (s.substr(0, 2) != "0x") return s;
  auto in = s.find(" in ");
  return in == std::string_view::npos ? s : s.substr(in + 4);
}

/// A sanitizer runtime's frame:
/// "#3 [0x... in ]FUNCTION FILE:LINE[:COL] [(MODULE+0xOFF)] [(BuildId: HEX)]".
std::optional<frame> sanitizer_frame(std::string_view line) {
  line = trim(line);
  if (line.size() < 2 || line[0] != '#' || !std::isdigit(static_cast<unsigned char>(line[1]))) return std::nullopt;
  auto sp = line.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  std::string_view rest = skip_pc(trim(line.substr(sp)));
  // clang++'s runtime follows the module with the binary's id, "(BuildId: 9ae4...)".
  if (auto id = rest.rfind(" (BuildId: "); id != std::string_view::npos && rest.back() == ')') rest = trim(rest.substr(0, id));
  if (!rest.empty() && rest.back() == ')') {  // the module, "(conlab+0x1234)"
    auto open = rest.rfind(" (");
    if (open != std::string_view::npos && rest.find("+0x", open) != std::string_view::npos) rest = rest.substr(0, open);
  }
  auto last_sp = rest.rfind(' ');
  if (last_sp == std::string_view::npos) return std::nullopt;
  auto fl = file_line(rest.substr(last_sp + 1));
  if (!fl) return std::nullopt;
  return frame{std::string(trim(rest.substr(0, last_sp))), fl->first, fl->second};
}

verdict tsan_kind(std::string_view title) {
  if (title.starts_with("data race")) return verdict::data_race;
  if (title.starts_with("lock-order-inversion")) return verdict::lock_order_inversion;
  if (title.find("mutex") != std::string_view::npos) return verdict::mutex_misuse;
  return verdict::crash;  // thread leak, signal-unsafe call, heap-use-after-free ...
}

struct report_start {
  std::string tool, title;
};

std::optional<report_start> sanitizer_headline(std::string_view line) {
  struct marker {
    std::string_view text, tool;
  };
  for (auto m : {marker{"WARNING: ThreadSanitizer: ", "tsan"}, marker{"ERROR: AddressSanitizer: ", "asan"},
                 marker{"ERROR: LeakSanitizer: ", "lsan"}}) {
    auto at = line.find(m.text);
    if (at == std::string_view::npos) continue;
    std::string_view title = line.substr(at + m.text.size());
    for (std::string_view cut : {" (pid=", " on address", " on unknown address", " at pc"})
      if (auto c = title.find(cut); c != std::string_view::npos) title = title.substr(0, c);
    return report_start{std::string(m.tool), std::string(trim(title))};
  }
  return std::nullopt;
}

/// Appends `f` to the last stack, opening an untitled one when there is none.
void add_frame(tool_finding& t, frame f) {
  if (t.stacks.empty()) t.stacks.push_back({});
  t.stacks.back().frames.push_back(std::move(f));
}

void drop_empty_stacks(tool_finding& t) {
  std::erase_if(t.stacks, [](const tool_stack& s) { return s.frames.empty(); });
}

}  // namespace

const frame* tool_finding::blame(std::string_view prefix) const {
  const frame* any = nullptr;
  const frame* program = nullptr;  // the first frame neither the lab's (harness/) nor the system's
  auto lab_or_system = [](std::string_view file) {
    return file.empty() || file.starts_with("/usr/") || file.starts_with("harness/") ||
           file.find("/harness/") != std::string_view::npos;
  };
  for (const auto& s : stacks)
    for (const auto& f : s.frames) {
      if (!prefix.empty() && (f.file.starts_with(prefix) || f.file.find("/" + std::string(prefix)) != std::string::npos))
        return &f;
      if (!any) any = &f;
      if (!program && !lab_or_system(f.file)) program = &f;
    }
  return program ? program : any;
}

std::string without_addresses(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool hex = text.substr(i).starts_with("0x") && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '(');
    if (hex) {
      std::size_t j = i + 2;
      while (j < text.size() && std::isxdigit(static_cast<unsigned char>(text[j]))) ++j;
      // Drop the number with the word that introduces it (" at 0x..") or the space before it.
      while (!out.empty() && out.back() == ' ') out.pop_back();
      if (out.ends_with(" at")) out.resize(out.size() - 3);
      i = j;
      continue;
    }
    if (text.substr(i).starts_with("(pid=")) {
      auto close = text.find(')', i);
      if (close != std::string_view::npos) {
        while (!out.empty() && out.back() == ' ') out.pop_back();
        i = close + 1;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

bool is_project_frame(const frame& f) {
  // A leading "./" never reaches here: file_line drops it.
  return !f.file.empty() && f.file.front() != '/' && !f.file.starts_with("../");
}

std::vector<tool_finding> parse_sanitizer_output(std::string_view text) {
  std::vector<tool_finding> out;
  tool_finding* open = nullptr;  // a TSan/ASan/LSan report between its headline and SUMMARY
  tool_finding* ubsan = nullptr;  // the last UBSan error, which takes the frames that follow it
  for (std::string_view line : split_lines(text)) {
    if (auto start = sanitizer_headline(line)) {
      tool_finding t{.tool = start->tool, .title = start->title};
      t.kind = start->tool == "tsan" ? tsan_kind(start->title) : verdict::crash;
      out.push_back(std::move(t));
      open = &out.back();
      ubsan = nullptr;
      continue;
    }
    if (auto at = line.find(": runtime error: "); at != std::string_view::npos) {
      std::string_view msg = line.substr(at + 17);
      tool_finding t{.tool = "ubsan", .title = std::string(msg.substr(0, msg.find(':'))), .kind = verdict::crash};
      t.stacks.push_back({std::string(msg), {}});
      if (auto fl = file_line(line.substr(0, at))) t.stacks.back().frames.push_back({"", fl->first, fl->second});
      out.push_back(std::move(t));
      ubsan = &out.back();
      open = nullptr;
      continue;
    }
    if (auto f = sanitizer_frame(line)) {
      if (open) add_frame(*open, std::move(*f));
      else if (ubsan) add_frame(*ubsan, std::move(*f));
      continue;
    }
    if (!open) {
      if (!trim(line).empty()) ubsan = nullptr;
      continue;
    }
    std::string_view body = trim(line);
    if (line.find("SUMMARY: ") != std::string_view::npos || body.starts_with("=====")) {
      drop_empty_stacks(*open);
      open = nullptr;
      continue;
    }
    if (body.empty() || body.starts_with("Hint:")) continue;
    // A frame without a source line ("#1 f() <null> (libstdc++.so.6+0xd4578)") is no heading.
    if (body.size() > 1 && body[0] == '#' && std::isdigit(static_cast<unsigned char>(body[1]))) continue;
    if (body.back() == ':') body.remove_suffix(1);
    open->stacks.push_back({std::string(body), {}});
  }
  if (open) drop_empty_stacks(*open);  // cut short: keep what was there
  return out;
}

namespace {

/// "==1234== text" -> "text"; nullopt for a line that is not valgrind's.
std::optional<std::string_view> valgrind_body(std::string_view line) {
  if (!line.starts_with("==")) return std::nullopt;
  auto end = line.find("==", 2);
  if (end == std::string_view::npos || !all_digits(line.substr(2, end - 2))) return std::nullopt;
  std::string_view body = line.substr(end + 2);
  if (!body.empty() && body.front() == ' ') body.remove_prefix(1);
  return body;
}

/// "   at 0x1091D8: inc() (race.cpp:5)" or "by 0x...: FUNCTION (FILE:LINE)".
std::optional<frame> valgrind_frame(std::string_view body) {
  body = trim(body);
  if (!body.starts_with("at 0x") && !body.starts_with("by 0x")) return std::nullopt;
  auto colon = body.find(": ");
  if (colon == std::string_view::npos || body.back() != ')') return std::nullopt;
  std::string_view rest = body.substr(colon + 2);
  auto open = rest.rfind(" (");
  if (open == std::string_view::npos) return std::nullopt;
  auto fl = file_line(rest.substr(open + 2, rest.size() - open - 3));
  if (!fl) return std::nullopt;
  return frame{std::string(rest.substr(0, open)), fl->first, fl->second};
}

/// The kind of a valgrind error from its headline; nullopt when the line starts none.
std::optional<std::pair<verdict, std::string>> valgrind_headline(std::string_view h) {
  auto has = [&](std::string_view s) { return h.find(s) != std::string_view::npos; };
  if (has("Possible data race") || h.starts_with("Conflicting load") || h.starts_with("Conflicting store"))
    return std::pair{verdict::data_race, std::string("data race")};
  if (has("lock order") && has("violated")) return std::pair{verdict::lock_order_inversion, std::string("lock order violated")};
  if (has("not-locked lock") || has("Mutex not locked") || has("locked mutex") || has("still holds") ||
      has("pthread_mutex_") || has("does not own"))
    return std::pair{verdict::mutex_misuse, std::string(trim(h))};
  return std::nullopt;
}

/// A headline the table above does not know (DRD's "not a condition variable: cond 0x..",
/// helgrind's "Bad pthread_barrier_..."): synchronization misuse when it names a primitive.
std::pair<verdict, std::string> other_valgrind_error(std::string_view h) {
  std::string title = without_addresses(trim(h));
  if (auto colon = title.find(':'); colon != std::string::npos) title.resize(colon);
  for (std::string_view w : {"cond", "mutex", "lock", "semaphore", "barrier", "pthread_"})
    if (h.find(w) != std::string_view::npos) return {verdict::mutex_misuse, title};
  return {verdict::crash, title};
}

}  // namespace

std::vector<tool_finding> parse_valgrind_output(std::string_view text, std::string_view tool) {
  std::vector<tool_finding> out;
  bool in_error = false;  // the last finding may still take continuation blocks
  bool block_start = true;
  auto lines = split_lines(text);
  // True when the next line of the same process is a frame: the current line heads a stack.
  auto heads_a_stack = [&](std::size_t i) {
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      auto nb = valgrind_body(lines[j]);
      if (!nb) continue;
      auto t = trim(*nb);
      return t.starts_with("at 0x");
    }
    return false;
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto body = valgrind_body(lines[i]);
    if (!body) continue;
    std::string_view b = trim(*body);
    if (b.empty()) {
      block_start = true;
      continue;
    }
    if (b.starts_with("---")) {  // helgrind's separators, "----..." and "---Thread-Announcement---"
      in_error = false;
      block_start = true;
      continue;
    }
    if (auto f = valgrind_frame(b)) {
      if (in_error) add_frame(out.back(), std::move(*f));
      continue;
    }
    if (b.starts_with("at 0x") || b.starts_with("by 0x")) continue;  // a frame without a source line
    if (b.starts_with("Locks held")) continue;
    if (b.starts_with("Thread ") && b.back() == ':') {  // DRD: the thread of the error that follows
      in_error = false;
      block_start = true;
      continue;
    }
    auto k = valgrind_headline(b);
    // Helgrind's announcements of threads and locks head stacks too, but are no errors.
    bool announcement = b.ends_with("was created") || b.ends_with("was first observed") ||
                        b.find("root thread") != std::string_view::npos;
    if (!k && !in_error && block_start && !announcement && heads_a_stack(i)) k = other_valgrind_error(b);
    if (k) {
      out.push_back({.tool = std::string(tool), .title = k->second, .kind = k->first});
      out.back().stacks.push_back({std::string(b), {}});
      in_error = true;
      block_start = false;
      continue;
    }
    if (in_error && (block_start || !out.back().stacks.empty())) out.back().stacks.push_back({std::string(b), {}});
    block_start = false;
  }
  for (auto& t : out) drop_empty_stacks(t);
  return out;
}

std::vector<thread_stack> parse_gdb_backtraces(std::string_view text) {
  std::vector<thread_stack> out;
  for (std::string_view line : split_lines(text)) {
    if (line.starts_with("Thread ") && line.ends_with("):")) {
      std::string name(line.substr(0, line.find(' ', 7)));
      if (auto lwp = line.find("(LWP "); lwp != std::string_view::npos)
        name += " " + std::string(line.substr(lwp, line.find(')', lwp) - lwp + 1));
      out.push_back({name, {}});
      continue;
    }
    if (out.empty() || line.size() < 2 || line[0] != '#' || !std::isdigit(static_cast<unsigned char>(line[1]))) continue;
    auto at = line.rfind(" at ");
    if (at == std::string_view::npos) continue;
    auto fl = file_line(line.substr(at + 4));
    if (!fl) continue;
    std::string_view fn = skip_pc(trim(line.substr(line.find(' '), at - line.find(' '))));
    if (!fn.empty() && fn.back() == ')') {  // drop the arguments: match the last ')' to its '('
      int depth = 0;
      for (std::size_t i = fn.size(); i-- > 0;) {
        if (fn[i] == ')') ++depth;
        else if (fn[i] == '(' && --depth == 0) {
          fn = trim(fn.substr(0, i));
          break;
        }
      }
    }
    out.back().frames.push_back({std::string(fn), fl->first, fl->second});
  }
  return out;
}

}  // namespace lab
