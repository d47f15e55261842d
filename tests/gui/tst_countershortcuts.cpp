#include <QTest>
class TestCounterShortcuts : public QObject
{
    Q_OBJECT
};
QTEST_MAIN(TestCounterShortcuts)
#include "tst_countershortcuts.moc"
