#include "MailHeaders.h"

#include <QLocale>
#include <QRandomGenerator>

namespace Marquee {

namespace {

bool hasLineBreak(const QString &text)
{
    return text.contains(u'\r') || text.contains(u'\n');
}

bool printableAscii(const QString &text)
{
    for (const QChar c : text)
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    return true;
}

// What may stand in an address without quoting; a conservative subset of
// RFC 5322's addr-spec that every ticket buyer's address fits.
bool plainAddress(const QString &address)
{
    static constexpr QLatin1String special("()<>[]:;@\\,\" ");
    const qsizetype at = address.indexOf(u'@');
    if (at <= 0 || at != address.lastIndexOf(u'@') || at == address.size() - 1)
        return false;
    if (address.size() > 254 || !printableAscii(address))
        return false;
    for (qsizetype i = 0; i < address.size(); ++i)
        if (i != at && special.contains(address.at(i)))
            return false;
    return true;
}

QByteArray encodedWord(const QByteArray &utf8)
{
    return QByteArrayLiteral("=?UTF-8?B?") + utf8.toBase64() + QByteArrayLiteral("?=");
}

QByteArray quotedString(const QString &text)
{
    QByteArray quoted("\"");
    for (const char c : text.toLatin1()) {
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    return quoted + '"';
}

QByteArray messageId(const QByteArray &fromAddress)
{
    quint32 random[4];
    QRandomGenerator::system()->fillRange(random);
    const QByteArray unique = QByteArray(reinterpret_cast<const char *>(random), sizeof random);
    const QByteArray domain = fromAddress.mid(fromAddress.indexOf('@') + 1);
    return '<' + unique.toHex() + '@' + domain + '>';
}

} // namespace

std::optional<MailAddress> MailHeaders::parseAddress(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    MailAddress result;
    QString address = trimmed;
    if (trimmed.endsWith(u'>')) {
        const qsizetype open = trimmed.lastIndexOf(u'<');
        if (open < 0) {
            *error = tr("Not an e-mail address: %1").arg(text);
            return std::nullopt;
        }
        address = trimmed.mid(open + 1, trimmed.size() - open - 2).trimmed();
        QString name = trimmed.left(open).trimmed();
        if (name.size() >= 2 && name.startsWith(u'"') && name.endsWith(u'"'))
            name = name.mid(1, name.size() - 2).replace(QLatin1String("\\\""), QLatin1String("\""));
        result.name = name;
    }
    if (!plainAddress(address)) {
        *error = tr("Not an e-mail address: %1").arg(text);
        return std::nullopt;
    }
    result.address = address.toLatin1();
    return result;
}

QByteArray MailHeaders::encodeText(const QString &text)
{
    if (printableAscii(text))
        return text.toLatin1();
    // 45 bytes of UTF-8 make 60 base64 characters, a 72-character word; a
    // word never splits a character, as RFC 2047 demands.
    QList<QByteArray> words;
    QByteArray chunk;
    for (qsizetype i = 0; i < text.size(); ++i) {
        qsizetype length = text.at(i).isHighSurrogate() && i + 1 < text.size() ? 2 : 1;
        const QByteArray character = text.mid(i, length).toUtf8();
        i += length - 1;
        if (chunk.size() + character.size() > 45) {
            words.append(encodedWord(chunk));
            chunk.clear();
        }
        chunk += character;
    }
    if (!chunk.isEmpty())
        words.append(encodedWord(chunk));
    return words.join("\r\n ");
}

QByteArray MailHeaders::formatAddress(const MailAddress &address)
{
    const QByteArray bare = '<' + address.address + '>';
    if (address.name.isEmpty())
        return address.address;
    // An encoded word may not stand inside quotes (RFC 2047, 5), so only
    // an ASCII name is quoted.
    if (printableAscii(address.name))
        return quotedString(address.name) + ' ' + bare;
    return encodeText(address.name) + ' ' + bare;
}

QByteArray MailHeaders::attachmentDisposition(const QString &fileName)
{
    QString ascii;
    for (const QChar c : fileName)
        ascii += (c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\') ? c : u'_';
    if (ascii.isEmpty())
        ascii = QStringLiteral("attachment");
    QByteArray value = "attachment; filename=\"" + ascii.toLatin1() + '"';
    if (ascii != fileName && !fileName.isEmpty())
        value += "; filename*=UTF-8''" + fileName.toUtf8().toPercentEncoding();
    return value;
}

std::optional<PreparedMail> MailHeaders::prepare(
    MailMessage message, const QDateTime &now, QString *error)
{
    // A line break in a header field would let the text after it become a
    // header of its own (Bcc: …): refused, never cleaned up.
    if (hasLineBreak(message.from) || hasLineBreak(message.to) || hasLineBreak(message.subject)) {
        *error = tr("A line break in the sender, recipient or subject is not allowed.");
        return std::nullopt;
    }
    for (const MailAttachment &attachment : std::as_const(message.attachments)) {
        const QByteArray type = attachment.mimeType;
        if (type.contains('\r') || type.contains('\n') || type.contains('"')
            || !type.contains('/')) {
            *error = tr("Not a media type: %1").arg(QString::fromLatin1(type));
            return std::nullopt;
        }
    }
    const auto from = parseAddress(message.from, error);
    if (!from)
        return std::nullopt;
    const auto to = parseAddress(message.to, error);
    if (!to)
        return std::nullopt;

    PreparedMail mail;
    mail.envelopeFrom = '<' + from->address + '>';
    mail.envelopeTo = '<' + to->address + '>';
    mail.headers = {
        "Date: " + QLocale::c().toString(now.toUTC(), u"ddd, dd MMM yyyy HH:mm:ss").toLatin1()
            + " +0000",
        "From: " + formatAddress(*from),
        "To: " + formatAddress(*to),
        "Message-ID: " + messageId(from->address),
        "Subject: " + encodeText(message.subject),
    };
    mail.message = std::move(message);
    return mail;
}

} // namespace Marquee
