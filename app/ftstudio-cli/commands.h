#pragma once
// The CLI's subcommands; each returns the process exit code (0 ok, 1 failure, 2 usage or rejected input).

#include <string>
#include <vector>

namespace ftcli {

using Args = std::vector<std::string>;

int makeDemo(const Args& args);
int train(const Args& args);
int evaluate(const Args& args);
int runs(const Args& args);
int info(const Args& args);
int generate(const Args& args);
int tokenize(const Args& args);
int chatTemplate(const Args& args);
int dataset(const Args& args);
int tokenCache(const Args& args);
int quantize(const Args& args);
int exportModel(const Args& args);
int ggufInfo(const Args& args);
int importGguf(const Args& args);
int models(const Args& args);
int pull(const Args& args);

} // namespace ftcli
