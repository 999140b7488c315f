#pragma once
// Turns core error codes into translated sentences with a hint of what to do, plus where it happened.

#include "core/common/error.h"

#include <QString>

QString errorText(const ft::Error& error);
