#pragma once
// Qt's JSON as nlohmann::json, the type core's dataset functions (core/data/record_format.h) read records in.

#include <QJsonValue>

#include <nlohmann/json_fwd.hpp>

// Numbers become doubles: core reads a record's strings, lists and objects, never its numbers' values.
nlohmann::json toCoreJson(const QJsonValue& value);
