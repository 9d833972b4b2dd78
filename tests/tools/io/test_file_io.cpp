#include <doctest/doctest.h>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "file_io.h"
#include "test_util.h"

using namespace aisle;

namespace {

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  REQUIRE(d != nullptr);
  while (dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  closedir(d);
  return names;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void remove_dir(const std::string& dir) {
  std::filesystem::remove_all(dir);
}

// A process id that is certainly not running: a child that has exited and been reaped.
pid_t dead_pid() {
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

}  // namespace

TEST_CASE("atomic write: a planted symlink at the temporary name is not followed") {
  const std::string dir = testing::temp_dir("fileio");
  const std::string victim = dir + "/victim.txt", out = dir + "/store.snap";
  { std::ofstream(victim) << "precious"; }
  // The old temporary name was predictable: OUT.tmp.<pid>.
  REQUIRE(symlink(victim.c_str(), (out + ".tmp." + std::to_string(getpid())).c_str()) == 0);
  write_file_atomic(out, "snapshot", 8);
  CHECK(slurp(victim) == "precious");
  CHECK(slurp(out) == "snapshot");
  remove_dir(dir);
}

TEST_CASE("atomic write: stale temporaries of dead processes beside the destination are cleaned") {
  const std::string dir = testing::temp_dir("fileio");
  const std::string out = dir + "/store.snap";
  const std::string dead = std::to_string(dead_pid());
  const std::string stale_old = out + ".tmp." + dead;              // the old naming
  const std::string stale_new = out + ".tmp." + dead + ".Ab12Cd";  // the current naming
  const std::string live = out + ".tmp." + std::to_string(getppid()) + ".Xy34Zw";
  const std::string other = dir + "/other.snap.tmp." + dead + ".Qq00Qq";  // another destination
  for (const auto& p : {stale_old, stale_new, live, other}) std::ofstream(p) << "junk";
  write_file_atomic(out, "x", 1);
  struct stat st;
  CHECK(stat(stale_old.c_str(), &st) != 0);
  CHECK(stat(stale_new.c_str(), &st) != 0);
  CHECK(stat(live.c_str(), &st) == 0);   // its writer may still be running
  CHECK(stat(other.c_str(), &st) == 0);  // not ours to judge
  remove_dir(dir);
}

TEST_CASE("atomic write: a failed or abandoned write leaves no temporary file") {
  const std::string dir = testing::temp_dir("fileio");
  const std::string out = dir + "/store.snap";
  write_file_atomic(out, "first", 5);
  {
    AtomicFileWriter w(out);
    w.append("partial", 7);
  }
  CHECK(list_dir(dir) == std::vector<std::string>{"store.snap"});
  CHECK(slurp(out) == "first");
  // The destination is a directory: rename fails, the temporary goes.
  const std::string sub = dir + "/sub";
  REQUIRE(mkdir(sub.c_str(), 0755) == 0);
  REQUIRE(mkdir((sub + "/inner").c_str(), 0755) == 0);
  CHECK_THROWS_AS(write_file_atomic(sub, "x", 1), InputError);
  CHECK(list_dir(dir).size() == 2);  // store.snap and sub
  rmdir((sub + "/inner").c_str());
  rmdir(sub.c_str());
  remove_dir(dir);
}

TEST_CASE("atomic batch: files appear only at commit; abandoned or failed, no temporary stays") {
  const std::string dir = testing::temp_dir("fileio");
  const std::string dead = std::to_string(dead_pid());
  const std::string stale = dir + "/7.json.tmp." + dead + ".Ab12Cd";  // any name, a dead writer
  const std::string live = dir + "/8.json.tmp." + std::to_string(getppid()) + ".Xy34Zw";
  for (const auto& p : {stale, live}) std::ofstream(p) << "junk";
  write_file_atomic(dir + "/0.json", "old", 3);
  {
    AtomicBatchWriter batch;
    batch.add(dir + "/0.json", "new", 3);
    batch.add(dir + "/1.json", "one", 3);
    CHECK(slurp(dir + "/0.json") == "old");  // not yet
    CHECK(list_dir(dir).size() == 4);        // 0.json, the live one, two temporaries
  }
  CHECK(list_dir(dir).size() == 2);  // abandoned: its temporaries went, the stale one too
  CHECK(slurp(dir + "/0.json") == "old");
  AtomicBatchWriter batch;
  batch.add(dir + "/0.json", "new", 3);
  batch.add(dir + "/1.json", "one", 3);
  batch.commit();
  CHECK(slurp(dir + "/0.json") == "new");
  CHECK(slurp(dir + "/1.json") == "one");
  CHECK(list_dir(dir).size() == 3);  // and the live writer's temporary
  // A destination that is a directory: that rename fails, no temporary stays.
  REQUIRE(mkdir((dir + "/2.json").c_str(), 0755) == 0);
  REQUIRE(mkdir((dir + "/2.json/inner").c_str(), 0755) == 0);
  {
    AtomicBatchWriter failing;
    failing.add(dir + "/2.json", "two", 3);
    failing.add(dir + "/3.json", "three", 5);
    CHECK_THROWS_AS(failing.commit(), InputError);
  }
  CHECK(list_dir(dir).size() == 4);  // 0, 1, the live one, 2.json/
  remove_dir(dir);
}
