#include "dataset/CoreJson.h"

#include <QJsonArray>
#include <QJsonObject>

#include <nlohmann/json.hpp>

nlohmann::json toCoreJson(const QJsonValue& value) {
    switch (value.type()) {
    case QJsonValue::Bool: return value.toBool();
    case QJsonValue::Double: return value.toDouble();
    case QJsonValue::String: return value.toString().toStdString();
    case QJsonValue::Array: {
        nlohmann::json list = nlohmann::json::array();
        for (const QJsonValue& item : value.toArray()) list.push_back(toCoreJson(item));
        return list;
    }
    case QJsonValue::Object: {
        nlohmann::json object = nlohmann::json::object();
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) object[it.key().toStdString()] = toCoreJson(it.value());
        return object;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined: break;
    }
    return nullptr;
}
