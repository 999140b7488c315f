// The method table (core/peft/method_spec.h) and its UI side (ui/wizard/MethodChoices.h): every row round-trips
// through the project file, is found by its names, and has a Method-page entry with a settings panel.

#include "wizard/MethodChoices.h"
#include "wizard/MethodPanel.h"

#include "core/common/error.h"
#include "core/peft/method_spec.h"
#include "core/project/project.h"

#include <QtTest>

#include <memory>
#include <set>

class TestMethodTable : public QObject {
    Q_OBJECT
private slots:
    void rows_data() {
        QTest::addColumn<int>("row");
        for (const auto& m : ft::methodSpecs()) QTest::newRow(std::string(m.name).c_str()) << int(m.id);
    }
    void rows() {
        QFETCH(int, row);
        const ft::MethodSpec& m = ft::methodSpec(ft::Method(row));
        QCOMPARE(int(m.id), row);
        QCOMPARE(ft::findMethod(m.name), &m);
        QCOMPARE(&ft::methodSpec(m.name), &m);
        QVERIFY(m.attach && m.trainableParameters);
        // An adapter folder is written and read by the row that says it has one.
        QCOMPARE(m.exportAdapter != nullptr, m.exportsAdapter);
        QCOMPARE(m.loadAdapter != nullptr, m.exportsAdapter);
        QCOMPARE(!m.peftType.empty(), m.exportsAdapter);
        if (m.exportsAdapter) QCOMPARE(ft::findMethodByPeftType(m.peftType)->peftType, m.peftType);
        QCOMPARE(m.trains == ft::MethodTrains::AllWeights, !m.exportsAdapter);
        if (m.mergeable || m.needsFourBitBase) QCOMPARE(m.trains, ft::MethodTrains::LowRankPairs);

        ft::Project p;
        p.method = std::string(m.name);
        QCOMPARE(ft::parseProject(ft::projectToJson(p), "p.ftproj").method, p.method);
    }

    void unknownNameIsRefusedWithTheList() {
        ft::Project p;
        p.method = "dora";
        try {
            ft::parseProject(ft::projectToJson(p), "p.ftproj");
            QFAIL("parsed an unknown method");
        } catch (const ft::Error& e) {
            QVERIFY2(std::string(e.what()).find("'dora'; use full, lora, qlora, adapter, prompt_tuning, p_tuning or prefix_tuning") !=
                         std::string::npos,
                     e.what());
        }
        QVERIFY(!ft::findMethod("dora"));
        QVERIFY_THROWS_EXCEPTION(ft::Error, ft::methodSpec("dora"));
    }

    void namesAreUnique() {
        std::set<std::string_view> names;
        for (const auto& m : ft::methodSpecs()) QVERIFY(names.insert(m.name).second);
        QCOMPARE(ft::findMethodByPeftType("LORA"), &ft::methodSpec(ft::Method::Lora));  // the first of lora, qlora
        QVERIFY(!ft::findMethodByPeftType(""));
    }

    void everyRowHasAPanel() {
        QCOMPARE(methodChoices().size(), ft::methodSpecs().size());
        for (const auto& m : ft::methodSpecs()) {
            const MethodChoice& c = methodChoice(m.id);
            QCOMPARE(c.method, m.id);
            QCOMPARE(c.name(), QString::fromUtf8(m.name.data(), qsizetype(m.name.size())));
            QCOMPARE(findMethodChoice(c.name()), &c);
            QVERIFY(!c.translatedLabel().isEmpty() && !c.translatedTitle().isEmpty());
            std::unique_ptr<MethodPanel> panel(c.makePanel(nullptr));
            QVERIFY(panel);
            panel->load(ft::Project{});
        }
        QVERIFY(!findMethodChoice(QStringLiteral("dora")));
    }
};

QTEST_MAIN(TestMethodTable)
#include "tst_method_table.moc"
