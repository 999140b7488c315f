// Korean and English UI: every string the code marks for translation has a finished translation in both .ts files.

#include <QFile>
#include <QXmlStreamReader>
#include <QtTest>

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
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement()) continue;
            if (xml.name() == QLatin1String("source")) source = xml.readElementText();
            if (xml.name() == QLatin1String("translation")) {
                ++messages;
                const auto type = xml.attributes().value(QLatin1String("type"));
                const QString text = xml.readElementText();
                if (type == QLatin1String("unfinished") || text.isEmpty()) unfinished << source;
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages > 40);
        QVERIFY2(unfinished.isEmpty(), qPrintable(unfinished.join(QLatin1Char('\n'))));
    }
};

QTEST_APPLESS_MAIN(TestTranslations)
#include "tst_translations.moc"
