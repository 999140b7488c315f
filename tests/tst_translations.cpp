// Korean and English UI: every string the code marks for translation has a finished translation in both .ts files.

#include <QFile>
#include <QXmlStreamReader>
#include <QtTest>

#include <algorithm>

class TestTranslations : public QObject {
    Q_OBJECT
private slots:
    void complete_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("ko") << QStringLiteral(FT_SOURCE_DIR "/translations/ftstudio_ko.ts");
        QTest::newRow("en") << QStringLiteral(FT_SOURCE_DIR "/translations/ftstudio_en.ts");
    }
    void complete() {
        QFETCH(QString, file);
        QFile f(file);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
        QXmlStreamReader xml(&f);
        int messages = 0;
        QStringList unfinished;
        QString source;
        bool inTranslation = false;
        int forms = 0;
        QString text;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("source")) source = xml.readElementText();
            if (xml.isStartElement() && xml.name() == QLatin1String("translation")) {
                ++messages;
                inTranslation = true;
                forms = 0;
                text.clear();
                if (xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished")) unfinished << source;
            } else if (xml.isStartElement() && xml.name() == QLatin1String("numerusform")) {
                ++forms;  // a plural message: every form must be filled
                if (xml.readElementText().isEmpty()) unfinished << source;
            } else if (inTranslation && xml.isCharacters()) {
                text += xml.text();
            } else if (xml.isEndElement() && xml.name() == QLatin1String("translation")) {
                inTranslation = false;
                if (forms == 0 && text.isEmpty()) unfinished << source;
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages > 40);
        QVERIFY2(unfinished.isEmpty(), qPrintable(unfinished.join(QLatin1Char('\n'))));
    }

    // Words a user reads on every screen are Korean in Korean, not the English kept by "same text" (Tokens/s was).
    void koreanIsKorean_data() {
        QTest::addColumn<QString>("source");
        for (const char* s : {"Tokens/s", "%1 tokens/s", "S&top", "Step %1 / %2"}) QTest::newRow(s) << QString::fromUtf8(s);
    }
    void koreanIsKorean() {
        QFETCH(QString, source);
        QFile f(QStringLiteral(FT_SOURCE_DIR "/translations/ftstudio_ko.ts"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&f);
        QString current;
        QStringList found;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement()) continue;
            if (xml.name() == QLatin1String("source")) current = xml.readElementText();
            else if (xml.name() == QLatin1String("translation") && current == source) found << xml.readElementText();
        }
        QVERIFY2(!found.isEmpty(), qPrintable(source));
        for (const QString& t : found) {
            QVERIFY2(t != source, qPrintable(source + QStringLiteral(" is not translated")));
            QVERIFY2(std::any_of(t.begin(), t.end(), [](QChar c) { return c.unicode() >= 0xAC00 && c.unicode() <= 0xD7A3; }),
                     qPrintable(t));
        }
    }
};

QTEST_APPLESS_MAIN(TestTranslations)
#include "tst_translations.moc"
