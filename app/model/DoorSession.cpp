#include "DoorSession.h"

#include "Clock.h"
#include "net/ApiClient.h"

#include <QRegularExpression>
#include <QUuid>

namespace Marquee {

DoorSession::DoorSession(
    ApiClient *api, const Clock &clock, const EventSummary &event, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_clock(clock)
    , m_event(event)
{
    m_countsTimer.setInterval(CountsIntervalMs);
    connect(&m_countsTimer, &QTimer::timeout, this, &DoorSession::refreshCounts);
    m_countsTimer.start();
    refreshCounts();
}

bool DoorSession::isTicketCode(const QString &text)
{
    static const QRegularExpression shape(QStringLiteral("^[A-Za-z0-9_-]{32}$"));
    return shape.match(text).hasMatch();
}

void DoorSession::submit(const QString &text)
{
    // A scanner may send a stray space or line end around the code.
    const QString code = text.trimmed();
    if (code.isEmpty())
        return;
    m_queue.enqueue(code);
    emit pendingChanged(pending());
    if (m_inFlight.isEmpty())
        sendNext();
}

void DoorSession::sendNext()
{
    while (!m_queue.isEmpty()) {
        const QString code = m_queue.dequeue();
        emit scanStarted(code);
        if (!isTicketCode(code)) {
            // Garbage from a misread or a scanner typing with another
            // keyboard layout: saying so at once beats the server's
            // "unknown ticket", which sounds like a forgery.
            DoorScan scan;
            scan.outcome = DoorScan::Outcome::NotACode;
            scan.code = code;
            scan.scannedAt = m_clock.now();
            emit pendingChanged(pending());
            emit scanned(scan);
            continue;
        }
        m_inFlight = code;
        m_inFlightKey = m_lostTries.contains(code)
            ? m_lostTries.value(code).key
            : QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1();
        m_api->checkIn(code, m_event.slug, m_inFlightKey, this,
            [this, code](const ApiResult<DoorVerdict> &result) { finish(code, result); });
        return;
    }
}

void DoorSession::finish(const QString &code, const ApiResult<DoorVerdict> &result)
{
    const DoorScan scan = judge(code, result);
    m_inFlight.clear();
    emit pendingChanged(pending());
    emit scanned(scan);
    // After a lost answer too: the count may show the ticket went in.
    refreshCounts();
    sendNext();
}

DoorScan DoorSession::judge(const QString &code, const ApiResult<DoorVerdict> &result)
{
    using Outcome = DoorScan::Outcome;
    using Result = DoorVerdict::Result;
    DoorScan scan;
    scan.code = code;
    scan.scannedAt = m_clock.now();
    const LostTry lost = m_lostTries.take(code);
    if (!result.ok()) {
        scan.outcome = Outcome::Trouble;
        scan.problem = result.error.message;
        // No answer at all, or a server fault: the ticket may have gone in.
        // A refusal the server did answer (401, 403, 400) let nothing in.
        const int status = result.error.status;
        if (status == 0 || status >= 500)
            m_lostTries.insert(code, {lost.at.isValid() ? lost.at : scan.scannedAt, m_inFlightKey});
        return scan;
    }
    scan.verdict = *result.value;
    switch (scan.verdict.result) {
    case Result::Admitted:
        scan.outcome = Outcome::Admitted;
        break;
    case Result::AlreadyIn:
        scan.outcome = Outcome::AlreadyIn;
        // The guest whose try went unanswered seconds ago is still standing
        // here; turning them away for their own entry would be wrong.
        if (lost.at.isValid() && lost.at.secsTo(scan.scannedAt) <= LostTryWindowSeconds) {
            scan.outcome = Outcome::Admitted;
            scan.admittedByLostTry = true;
        }
        break;
    case Result::Revoked:
        scan.outcome = Outcome::Revoked;
        break;
    case Result::WrongEvent:
        scan.outcome = Outcome::WrongEvent;
        break;
    case Result::Unknown:
        scan.outcome = Outcome::Unknown;
        break;
    }
    return scan;
}

void DoorSession::refreshCounts()
{
    // One question at a time: a slow server should not pile them up.
    if (m_countsBusy) {
        m_countsAgain = true;
        return;
    }
    m_countsBusy = true;
    m_api->fetchDoorCounts(m_event.slug, this, [this](const ApiResult<DoorCounts> &result) {
        m_countsBusy = false;
        if (result.ok())
            emit countsChanged(result.value->entered, result.value->sold);
        else
            emit countsFailed(result.error.message);
        if (m_countsAgain) {
            m_countsAgain = false;
            refreshCounts();
        }
    });
}

} // namespace Marquee
