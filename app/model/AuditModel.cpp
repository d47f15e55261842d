#include "AuditModel.h"

#include "MoneyFormat.h"
#include "net/ApiClient.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <algorithm>
#include <utility>

namespace Marquee {

namespace {

/// Keys in the order a manager reads them: what (seats, amounts), then how
/// (payment), then the ids that tie entries together. Others follow.
const QStringList &keyOrder()
{
    static const QStringList order{QStringLiteral("seats"), QStringLiteral("quantity"),
        QStringLiteral("role"), QStringLiteral("total"), QStringLiteral("amount"),
        QStringLiteral("paid"), QStringLiteral("payment"), QStringLiteral("name"),
        QStringLiteral("purpose"), QStringLiteral("order"), QStringLiteral("reference"),
        QStringLiteral("cart")};
    return order;
}

QString keyLabel(const QString &key)
{
    // The server's keys are English identifiers; the manager reads words.
    static const char *const labels[][2] = {
        {"seats", QT_TRANSLATE_NOOP("Marquee::AuditModel", "seats")},
        {"quantity", QT_TRANSLATE_NOOP("Marquee::AuditModel", "quantity")},
        {"role", QT_TRANSLATE_NOOP("Marquee::AuditModel", "role")},
        {"total", QT_TRANSLATE_NOOP("Marquee::AuditModel", "total")},
        {"amount", QT_TRANSLATE_NOOP("Marquee::AuditModel", "amount")},
        {"paid", QT_TRANSLATE_NOOP("Marquee::AuditModel", "paid")},
        {"payment", QT_TRANSLATE_NOOP("Marquee::AuditModel", "payment")},
        {"name", QT_TRANSLATE_NOOP("Marquee::AuditModel", "name")},
        {"purpose", QT_TRANSLATE_NOOP("Marquee::AuditModel", "purpose")},
        {"order", QT_TRANSLATE_NOOP("Marquee::AuditModel", "order")},
        {"reference", QT_TRANSLATE_NOOP("Marquee::AuditModel", "reference")},
        {"cart", QT_TRANSLATE_NOOP("Marquee::AuditModel", "cart")},
    };
    for (const auto &label : labels) {
        if (key == QLatin1String(label[0]))
            return QCoreApplication::translate("Marquee::AuditModel", label[1]);
    }
    return key;
}

QString valueText(const QString &key, const QJsonValue &value, const QString &currency)
{
    if (value.isArray()) {
        QStringList parts;
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array)
            parts.append(valueText(key, item, currency));
        return parts.join(QStringLiteral(", "));
    }
    if (value.isBool())
        return value.toBool() ? AuditModel::tr("yes") : AuditModel::tr("no");
    if (value.isDouble()) {
        const qint64 number = qint64(value.toDouble());
        const bool money = key == QLatin1String("total") || key == QLatin1String("amount");
        if (money && !currency.isEmpty())
            return MoneyFormat().format(number, currency);
        return QLocale().toString(number);
    }
    if (value.isObject() || value.isNull())
        return AuditModel::summary(value.toObject(), currency);
    return value.toString();
}

} // namespace

AuditModel::AuditModel(ApiClient *api, QObject *parent)
    : QAbstractTableModel(parent)
    , m_api(api)
{
}

void AuditModel::setPageSize(int entries)
{
    m_pageSize = qBound(1, entries, 500);
}

void AuditModel::load(const AuditFilter &filter)
{
    beginResetModel();
    ++m_generation;
    m_filter = filter;
    m_entries.clear();
    m_next = 0;
    m_started = true;
    m_complete = false;
    m_failed = false;
    m_loading = false;
    endResetModel();
    requestPage();
}

bool AuditModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_started && !m_loading && !m_complete && !m_failed;
}

void AuditModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestPage();
}

void AuditModel::requestPage()
{
    setLoading(true);
    const int generation = m_generation;
    m_api->fetchAudit(
        m_filter, m_next, m_pageSize, this, [this, generation](const ApiResult<AuditPage> &result) {
            if (generation != m_generation)
                return;
            setLoading(false);
            if (!result.ok()) {
                m_failed = true;
                emit failed(result.error.message);
                return;
            }
            const AuditPage &page = *result.value;
            // A short page is the end; a full one may be followed by more.
            m_complete = page.entries.size() < m_pageSize;
            m_next = page.next;
            if (!page.entries.isEmpty()) {
                beginInsertRows(
                    {}, int(m_entries.size()), int(m_entries.size() + page.entries.size() - 1));
                m_entries.append(page.entries);
                endInsertRows();
            }
            emit pageLoaded();
        });
}

void AuditModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const AuditEntry &entry = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(entry, index.column());
    case Qt::ToolTipRole:
        // The exact instant in UTC, and whole texts that a narrow column elides.
        return index.column() == Time ? entry.at.toString(Qt::ISODate)
                                      : displayText(entry, index.column());
    case EntryIdRole:
        return entry.id;
    default:
        return {};
    }
}

QString AuditModel::displayText(const AuditEntry &entry, int column) const
{
    switch (column) {
    case Time:
        return localTime(entry.at);
    case User:
        return entry.actor;
    case Action:
        return entry.action;
    case Subject:
        return entry.subject;
    case Address:
        return entry.address;
    case Details: {
        // The event first: hold ids say nothing to a manager, the show does.
        const QString details = summary(entry.details, m_currency);
        if (entry.event.isEmpty())
            return details;
        //: The event an audit entry concerns, e.g. "event open-air"
        const QString event = tr("event %1").arg(entry.event);
        return details.isEmpty() ? event : event + QStringLiteral(" · ") + details;
    }
    default:
        return {};
    }
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case User:
        return tr("User");
    case Action:
        return tr("Action");
    case Subject:
        return tr("Subject");
    case Address:
        return tr("Address");
    case Details:
        return tr("Details");
    default:
        return {};
    }
}

QString AuditModel::summary(const QJsonObject &details, const QString &currency)
{
    const QJsonValue before = details.value(QLatin1String("before"));
    const QJsonValue after = details.value(QLatin1String("after"));
    QStringList parts;
    if (!before.isUndefined() || !after.isUndefined()) {
        //: A change in the audit trail: old value → new value
        parts.append(
            tr("%1 → %2").arg(valueText({}, before, currency), valueText({}, after, currency)));
    }
    QStringList keys = details.keys();
    const QStringList &order = keyOrder();
    // Known keys in reading order, then the rest alphabetically (keys() is sorted).
    std::stable_sort(keys.begin(), keys.end(), [&order](const QString &a, const QString &b) {
        const qsizetype ia = order.indexOf(a), ib = order.indexOf(b);
        return (ia < 0 ? order.size() : ia) < (ib < 0 ? order.size() : ib);
    });
    for (const QString &key : std::as_const(keys)) {
        if (key == QLatin1String("before") || key == QLatin1String("after"))
            continue;
        //: One detail of an audit entry: label and value, e.g. "seats A1, A2"
        parts.append(tr("%1 %2").arg(keyLabel(key), valueText(key, details.value(key), currency)));
    }
    return parts.join(QStringLiteral(" · "));
}

QString AuditModel::localTime(const QDateTime &utc)
{
    const QDateTime local = utc.toLocalTime();
    const QLocale locale;
    //: Time of day in the audit trail, with seconds
    return locale.toString(local.date(), QLocale::ShortFormat) + u' '
        + locale.toString(local.time(), tr("HH:mm:ss"));
}

} // namespace Marquee
