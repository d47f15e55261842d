#include "SmtpTransfer.h"

#include <QStringList>
#include <curl/curl.h>

#include <memory>

namespace Marquee {

namespace {

struct CurlDeleter
{
    void operator()(CURL *curl) const { curl_easy_cleanup(curl); }
    void operator()(curl_mime *mime) const { curl_mime_free(mime); }
    void operator()(curl_slist *list) const { curl_slist_free_all(list); }
};
template <typename T> using CurlPtr = std::unique_ptr<T, CurlDeleter>;

// SMTP wants CRLF line ends; the quoted-printable encoder would turn a lone
// LF into "=0A" and the text would arrive as one long line.
QByteArray crlf(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    utf8.replace("\r\n", "\n");
    return utf8.replace("\n", "\r\n");
}

void addTextPart(curl_mime *mime, const QString &text, const char *type)
{
    const QByteArray data = crlf(text);
    curl_mimepart *part = curl_mime_addpart(mime);
    curl_mime_data(part, data.constData(), size_t(data.size()));
    curl_mime_type(part, type);
    curl_mime_encoder(part, "quoted-printable");
}

// multipart/mixed: the text (or text and HTML as multipart/alternative),
// then each attachment in base64 with its file name.
curl_mime *buildMime(CURL *curl, const MailMessage &message)
{
    curl_mime *mime = curl_mime_init(curl);
    if (message.html.isEmpty()) {
        addTextPart(mime, message.text, "text/plain; charset=UTF-8");
    } else {
        curl_mime *alternative = curl_mime_init(curl);
        addTextPart(alternative, message.text, "text/plain; charset=UTF-8");
        addTextPart(alternative, message.html, "text/html; charset=UTF-8");
        curl_mimepart *part = curl_mime_addpart(mime);
        curl_mime_subparts(part, alternative); // the part owns it from here
        curl_mime_type(part, "multipart/alternative");
    }
    for (const MailAttachment &attachment : message.attachments) {
        curl_mimepart *part = curl_mime_addpart(mime);
        curl_mime_data(part, attachment.data.constData(), size_t(attachment.data.size()));
        curl_mime_type(part, attachment.mimeType.constData());
        curl_mime_encoder(part, "base64");
        // Our own Content-Disposition (curl then adds none): curl does not
        // escape a file name in mail, and a non-ASCII one needs RFC 2231.
        const QByteArray disposition = QByteArrayLiteral("Content-Disposition: ")
            + MailHeaders::attachmentDisposition(attachment.fileName);
        curl_slist *headers = curl_slist_append(nullptr, disposition.constData());
        curl_mime_headers(part, headers, 1); // the part owns the list
    }
    return mime;
}

// Without Qt Network: "127.x.y.z" must be four numbers (a host named
// "127.mail.example.net" is not loopback and gets no exemption from TLS).
bool loopback(const QUrl &server)
{
    const QString host = server.host();
    if (host == QLatin1String("localhost") || host == QLatin1String("::1"))
        return true;
    const QStringList parts = host.split(u'.');
    if (parts.size() != 4 || parts.first() != QLatin1String("127"))
        return false;
    for (const QString &part : parts) {
        bool number = false;
        const uint value = part.toUInt(&number);
        if (!number || value > 255)
            return false;
    }
    return true;
}

void setConnection(CURL *curl, const SmtpSettings &settings)
{
    const QByteArray url = settings.server.toEncoded();
    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); // curl's timeouts must not use signals in threads
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    if (!settings.user.isEmpty()) {
        const QByteArray user = settings.user.toUtf8();
        const QByteArray password = settings.password.toUtf8();
        curl_easy_setopt(curl, CURLOPT_USERNAME, user.constData()); // curl copies strings
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password.constData());
    }
    // A password never crosses the network in clear: with credentials a
    // remote smtp:// server must offer STARTTLS. Without, or on loopback
    // (a local relay, the tests), TLS is used when offered.
    const bool requireTls = !settings.user.isEmpty() && !loopback(settings.server);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, long(requireTls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
}

} // namespace

SmtpTransfer::Result SmtpTransfer::run(const SmtpSettings &settings, const PreparedMail &mail)
{
    const CurlPtr<CURL> curl(curl_easy_init());
    if (!curl)
        return {false, false, tr("Could not start a mail transfer.")};
    setConnection(curl.get(), settings);
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, mail.envelopeFrom.constData());
    const CurlPtr<curl_slist> recipients(curl_slist_append(nullptr, mail.envelopeTo.constData()));
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, recipients.get());

    CurlPtr<curl_slist> headers;
    for (const QByteArray &header : mail.headers) {
        curl_slist *list = curl_slist_append(headers.get(), header.constData());
        (void)headers.release();
        headers.reset(list);
    }
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get()); // mail headers too
    // Either order of freeing the handle and the MIME tree is safe in curl.
    const CurlPtr<curl_mime> mime(buildMime(curl.get(), mail.message));
    curl_easy_setopt(curl.get(), CURLOPT_MIMEPOST, mime.get());

    char detail[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, detail);
    const CURLcode code = curl_easy_perform(curl.get());
    if (code == CURLE_OK)
        return {true, false, {}};
    long response = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &response);
    const QString reason = QString::fromUtf8(detail[0] ? detail : curl_easy_strerror(code));
    return {false, response >= 500 || code == CURLE_LOGIN_DENIED,
        response > 0 ? tr("SMTP %1: %2").arg(response).arg(reason) : reason};
}

} // namespace Marquee
