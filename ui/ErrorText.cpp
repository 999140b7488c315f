#include "ErrorText.h"

#include <QCoreApplication>

namespace {

QString hint(ft::ErrorCode code) {
    using C = ft::ErrorCode;
    switch (code) {
    case C::FileNotFound: return QCoreApplication::translate("ErrorText", "File not found. Check the path.");
    case C::FileUnreadable: return QCoreApplication::translate("ErrorText", "The file cannot be read. Check its permissions.");
    case C::FileUnwritable: return QCoreApplication::translate("ErrorText", "Cannot write here. Check free space and permissions, or choose another folder.");
    case C::ParseError: return QCoreApplication::translate("ErrorText", "The file is malformed at the place shown. Fix it there and try again.");
    case C::InvalidValue: return QCoreApplication::translate("ErrorText", "A value cannot be used. Correct the field shown.");
    case C::MissingField: return QCoreApplication::translate("ErrorText", "A required field is missing. Add the field shown.");
    case C::Unsupported: return QCoreApplication::translate("ErrorText", "This is not supported yet.");
    case C::TemplateRaised: return QCoreApplication::translate("ErrorText", "The chat template rejected these messages.");
    case C::LimitExceeded: return QCoreApplication::translate("ErrorText", "A safety limit was reached: the input is too large or loops.");
    case C::Cancelled: return QCoreApplication::translate("ErrorText", "Cancelled.");
    case C::OutOfMemory: return QCoreApplication::translate("ErrorText", "Out of memory. Lower the batch size or sequence length, or switch to QLoRA.");
    case C::NonFiniteLoss: return QCoreApplication::translate("ErrorText", "The loss became NaN or infinite. Lower the learning rate.");
    case C::Internal: return QCoreApplication::translate("ErrorText", "Internal error. Please report it.");
    }
    return {};
}

} // namespace

QString errorText(const ft::Error& error) {
    QString text = hint(error.code());
    if (!error.where().empty()) text += QStringLiteral("\n") + QString::fromStdString(error.where());
    if (!error.detail().empty()) text += QStringLiteral(": ") + QString::fromStdString(error.detail());
    return text;
}
