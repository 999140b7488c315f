#pragma once
// Help > User Guide: the guide ships with the app (no internet needed), in the UI's language.

#include <QString>

// The guide in the UI's language (docs/user-guide.md, docs/user-guide.ko.md, …); "" when none is found.
QString userGuidePath();
// `guide` ("docs/user-guide.ko.md") looked for where the app runs from `appDir`: installed under share/doc (the
// package keeps the source tree's docs/ layout, so its pictures resolve), a build folder inside the source tree, and
// last the source tree this was built from (a build folder anywhere else). Falls back to the English guide, then the
// README. The canonical path; "" when none is there.
QString findUserGuide(const QString& guide, const QString& appDir);
