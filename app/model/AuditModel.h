#pragma once

#include "net/ApiTypes.h"

#include <QAbstractTableModel>

namespace Marquee {

class ApiClient;

/// The audit trail as a table, read from the server a page at a time:
/// views ask for the next page (fetchMore) only when they scroll to the
/// end, so a trail of a year never loads at once. Times show in the
/// terminal's local time; details as one readable line.
class AuditModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Time,
        User,
        Action,
        Subject,
        Address,
        Details,
        ColumnCount
    };

    /// The entry's id (a qint64), under any column.
    static constexpr int EntryIdRole = Qt::UserRole + 1;
    /// Entries per request; the server allows 1 to 500.
    static constexpr int DefaultPageSize = 100;

    explicit AuditModel(ApiClient *api, QObject *parent = nullptr);

    /// Forgets what was loaded and reads the first page matching \a filter.
    void load(const AuditFilter &filter);
    const AuditFilter &filter() const { return m_filter; }

    /// Smaller pages let tests see paging with a handful of entries.
    void setPageSize(int entries);
    int pageSize() const { return m_pageSize; }
    /// Amounts in details are minor units without a currency; when every
    /// event of the venue uses one currency, they are shown in it.
    void setCurrency(const QString &currency) { m_currency = currency; }

    bool isLoading() const { return m_loading; }
    /// True once the server has said there is nothing after the last row.
    bool isComplete() const { return m_complete; }
    const AuditEntry &entry(int row) const { return m_entries.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    /// \a details in one line: "clerk → manager" for a change, otherwise
    /// "seats A1, A2 · cart c_…"; amounts in \a currency when it is known.
    static QString summary(const QJsonObject &details, const QString &currency = {});
    /// The entry's time in the terminal's zone, to the second.
    static QString localTime(const QDateTime &utc);

signals:
    /// A page arrived (possibly empty).
    void pageLoaded();
    void failed(const QString &message);
    void loadingChanged(bool loading);

private:
    void requestPage();
    void setLoading(bool loading);
    QString displayText(const AuditEntry &entry, int column) const;

    ApiClient *m_api;
    AuditFilter m_filter;
    QList<AuditEntry> m_entries;
    QString m_currency;
    qint64 m_next = 0;
    int m_pageSize = DefaultPageSize;
    bool m_started = false;
    bool m_loading = false;
    bool m_complete = false;
    /// A page failed: no retries on every scroll until the next load().
    bool m_failed = false;
    /// Answers for an older filter (the manager pressed Apply again) are dropped.
    int m_generation = 0;
};

} // namespace Marquee
