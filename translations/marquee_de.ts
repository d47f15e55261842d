<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Marquee::ApiClient</name>
    <message>
        <source>The server sent an answer this program does not understand.</source>
        <translation>Der Server hat eine Antwort geschickt, die dieses Programm nicht versteht.</translation>
    </message>
    <message>
        <source>The server at %1 cannot be reached: %2</source>
        <translation>Der Server unter %1 ist nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP %1).</source>
        <translation>Der Server hat die Anfrage abgelehnt (HTTP %1).</translation>
    </message>
    <message>
        <source>Not available any more: %1. Nothing was held.</source>
        <translation>Nicht mehr frei: %1. Es wurde nichts reserviert.</translation>
    </message>
    <message numerus="yes">
        <source>Only %n place(s) left. Nothing was held.</source>
        <translation>
            <numerusform>Nur noch %n Platz frei. Es wurde nichts reserviert.</numerusform>
            <numerusform>Nur noch %n Plätze frei. Es wurde nichts reserviert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Too many requests from this terminal; wait a moment and try again.</source>
        <translation>Zu viele Anfragen von diesem Terminal; bitte kurz warten und erneut versuchen.</translation>
    </message>
    <message>
        <source>The server&apos;s database did not answer; try again.</source>
        <translation>Die Datenbank des Servers hat nicht geantwortet; bitte erneut versuchen.</translation>
    </message>
    <message>
        <source>The request was too large for the server.</source>
        <translation>Die Anfrage war zu groß für den Server.</translation>
    </message>
    <message>
        <source>This hold cannot be extended again.</source>
        <translation>Diese Reservierung kann nicht mehr verlängert werden.</translation>
    </message>
    <message>
        <source>Part of this sale ran out before it was paid, so nothing was sold.</source>
        <translation>Ein Teil dieses Verkaufs ist vor der Bezahlung abgelaufen; es wurde nichts verkauft.</translation>
    </message>
    <message>
        <source>Your session has ended. Sign in again.</source>
        <translation>Die Sitzung ist beendet. Bitte neu anmelden.</translation>
    </message>
    <message>
        <source>Your account may not do this; ask a manager.</source>
        <translation>Dieses Konto darf das nicht; bitte die Leitung fragen.</translation>
    </message>
    <message numerus="yes">
        <source>Too many attempts; try again in %n second(s).</source>
        <translation>
            <numerusform>Zu viele Versuche; bitte in %n Sekunde erneut versuchen.</numerusform>
            <numerusform>Zu viele Versuche; bitte in %n Sekunden erneut versuchen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Only managers and admins may read the audit trail.</source>
        <translation>Nur Manager und Admins dürfen das Prüfprotokoll lesen.</translation>
    </message>
    <message>
        <source>The server at %1 shows a certificate this computer does not trust.</source>
        <translation>Der Server unter %1 zeigt ein Zertifikat, dem dieser Computer nicht vertraut.</translation>
    </message>
    <message>
        <source>The certificate of the server at %1 has changed. If the venue did not replace it, another machine may be posing as the server.</source>
        <translation>Das Zertifikat des Servers unter %1 hat sich geändert. Wenn das Haus es nicht ersetzt hat, gibt sich womöglich ein anderer Rechner als der Server aus.</translation>
    </message>
</context>
<context>
    <name>Marquee::AuditModel</name>
    <message>
        <source>seats</source>
        <translation>Plätze</translation>
    </message>
    <message>
        <source>quantity</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>Betrag</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>bezahlt</translation>
    </message>
    <message>
        <source>payment</source>
        <translation>Zahlung</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>purpose</source>
        <translation>Zweck</translation>
    </message>
    <message>
        <source>order</source>
        <translation>Bestellung</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>cart</source>
        <translation>Warenkorb</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>event %1</source>
        <extracomment>The event an audit entry concerns, e.g. &quot;event open-air&quot;</extracomment>
        <translation>Veranstaltung %1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Objekt</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <extracomment>A change in the audit trail: old value → new value</extracomment>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <extracomment>One detail of an audit entry: label and value, e.g. &quot;seats A1, A2&quot;</extracomment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>HH:mm:ss</source>
        <extracomment>Time of day in the audit trail, with seconds</extracomment>
        <translation>HH:mm:ss</translation>
    </message>
</context>
<context>
    <name>Marquee::AuditView</name>
    <message>
        <source>&amp;Apply</source>
        <translation>An&amp;wenden</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>any user</source>
        <translation>alle Benutzer</translation>
    </message>
    <message>
        <source>A user name exactly, or credential:NAME, cart:ID, system</source>
        <translation>Genau ein Benutzername, oder credential:NAME, cart:ID, system</translation>
    </message>
    <message>
        <source>any action</source>
        <translation>alle Aktionen</translation>
    </message>
    <message>
        <source>any event</source>
        <translation>alle Veranstaltungen</translation>
    </message>
    <message>
        <source>Up to the end of this day</source>
        <translation>Bis zum Ende dieses Tages</translation>
    </message>
    <message>
        <source>Read the trail with this filter (Enter)</source>
        <translation>Protokoll mit diesem Filter lesen (Eingabe)</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>A&amp;ction:</source>
        <translation>&amp;Aktion:</translation>
    </message>
    <message>
        <source>&amp;Event:</source>
        <translation>&amp;Veranstaltung:</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>V&amp;on:</translation>
    </message>
    <message>
        <source>Un&amp;til:</source>
        <translation>B&amp;is:</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>No entries match this filter.</source>
        <translation>Keine Einträge zu diesem Filter.</translation>
    </message>
    <message>
        <source>1 entry</source>
        <translation>1 Eintrag</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n Eintrag</numerusform>
            <numerusform>%n Einträge</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries so far; scroll down for more</source>
        <translation>
            <numerusform>Bisher %n Eintrag; für mehr nach unten blättern</numerusform>
            <numerusform>Bisher %n Einträge; für mehr nach unten blättern</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Marquee::CertificateDialog</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Server certificate changed</source>
        <translation>Serverzertifikat geändert</translation>
    </message>
    <message>
        <source>New server certificate</source>
        <translation>Neues Serverzertifikat</translation>
    </message>
    <message>
        <source>The server at %1 shows a different certificate from the one trusted here before. If the venue did not replace it, another machine may be posing as the server: do not sign in, and tell the venue manager.</source>
        <translation>Der Server unter %1 zeigt ein anderes Zertifikat als das, dem hier bisher vertraut wurde. Wenn das Haus es nicht ersetzt hat, gibt sich womöglich ein anderer Rechner als der Server aus: nicht anmelden und die Hausleitung informieren.</translation>
    </message>
    <message>
        <source>This counter has not met the server at %1 before, and no authority vouches for its certificate. Trust it only if its fingerprint matches the one marquee-server printed at start.</source>
        <translation>Diese Kasse kennt den Server unter %1 noch nicht, und keine Zertifizierungsstelle bürgt für sein Zertifikat. Nur vertrauen, wenn der Fingerabdruck mit dem übereinstimmt, den marquee-server beim Start ausgegeben hat.</translation>
    </message>
    <message>
        <source>Issued to:</source>
        <translation>Ausgestellt für:</translation>
    </message>
    <message>
        <source>Issued by:</source>
        <translation>Ausgestellt von:</translation>
    </message>
    <message>
        <source>Valid:</source>
        <translation>Gültig:</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 bis %2</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint:</source>
        <translation>SHA-256-Fingerabdruck:</translation>
    </message>
    <message>
        <source>Trusted before:</source>
        <translation>Bisher vertraut:</translation>
    </message>
    <message>
        <source>&amp;Trust the new certificate</source>
        <translation>Dem neuen Zertifikat &amp;vertrauen</translation>
    </message>
    <message>
        <source>&amp;Trust this server</source>
        <translation>Diesem Server &amp;vertrauen</translation>
    </message>
</context>
<context>
    <name>Marquee::ConnectionIndicator</name>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>Nicht verbunden: %1</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Reconnecting in %1 s…</source>
        <translation>Neuer Versuch in %1 s…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Verbinde neu…</translation>
    </message>
    <message>
        <source>Seat states arrive live from %1</source>
        <translation>Platzstatus kommt live von %1</translation>
    </message>
</context>
<context>
    <name>Marquee::CounterActions</name>
    <message>
        <source>&amp;Hold</source>
        <translation>&amp;Reservieren</translation>
    </message>
    <message>
        <source>Hold the selection for this sale</source>
        <translation>Die Auswahl für diesen Verkauf reservieren</translation>
    </message>
    <message>
        <source>&amp;Sell (cash)</source>
        <translation>&amp;Verkaufen (bar)</translation>
    </message>
    <message>
        <source>Hold what is selected, then sell the whole sale for cash</source>
        <translation>Auswahl reservieren und den ganzen Verkauf bar abrechnen</translation>
    </message>
    <message>
        <source>&amp;Clear selection</source>
        <translation>Auswahl &amp;leeren</translation>
    </message>
    <message>
        <source>Forget the selection; held seats stay held</source>
        <translation>Auswahl verwerfen; reservierte Plätze bleiben reserviert</translation>
    </message>
    <message>
        <source>Cancel sa&amp;le</source>
        <translation>Verkauf &amp;abbrechen</translation>
    </message>
    <message>
        <source>Release everything this sale holds and start over</source>
        <translation>Alle Reservierungen dieses Verkaufs freigeben und neu beginnen</translation>
    </message>
    <message>
        <source>Go to &amp;events</source>
        <translation>Zu den &amp;Veranstaltungen</translation>
    </message>
    <message>
        <source>Move to the event list; arrows or typing pick an event</source>
        <translation>Zur Veranstaltungsliste; Pfeiltasten oder Tippen wählen eine aus</translation>
    </message>
    <message>
        <source>&amp;Type seats or quantity</source>
        <translation>Plätze oder Anzahl &amp;eingeben</translation>
    </message>
    <message>
        <source>Move to the seat entry or the ticket quantity</source>
        <translation>Zur Platzeingabe oder zur Ticketanzahl</translation>
    </message>
    <message>
        <source>&amp;Reload events</source>
        <translation>Veranstaltungen neu &amp;laden</translation>
    </message>
    <message>
        <source>Ask the server for the events again</source>
        <translation>Veranstaltungen erneut vom Server holen</translation>
    </message>
    <message>
        <source>&amp;Connect to server…</source>
        <translation>Mit Server &amp;verbinden…</translation>
    </message>
    <message>
        <source>Change the server address</source>
        <translation>Serveradresse ändern</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Close the counter</source>
        <translation>Kasse schließen</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>S&amp;ale</source>
        <translation>V&amp;erkauf</translation>
    </message>
    <message>
        <source>&amp;Lock terminal</source>
        <translation>Terminal &amp;sperren</translation>
    </message>
    <message>
        <source>Hide the screen until your password is given again; the sale stays</source>
        <translation>Bildschirm verbergen, bis das Passwort wieder eingegeben ist; der Verkauf bleibt</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <source>End your session; the next clerk signs in</source>
        <translation>Sitzung beenden; die nächste Person meldet sich an</translation>
    </message>
    <message>
        <source>&amp;Audit trail…</source>
        <translation>&amp;Prüfprotokoll…</translation>
    </message>
    <message>
        <source>Who did what, when and from where (managers and admins)</source>
        <translation>Wer hat was wann und von wo getan (Manager und Admins)</translation>
    </message>
    <message>
        <source>&amp;Manager</source>
        <translation>&amp;Verwaltung</translation>
    </message>
</context>
<context>
    <name>Marquee::CounterWindow</name>
    <message>
        <source>Marquee Counter</source>
        <translation>Marquee Kasse</translation>
    </message>
    <message>
        <source>Pick an event on the left to start selling.</source>
        <translation>Links eine Veranstaltung wählen, um zu verkaufen.</translation>
    </message>
    <message>
        <source>One hold takes at most %1 seats. Hold these first.</source>
        <translation>Eine Reservierung umfasst höchstens %1 Plätze. Bitte zuerst diese reservieren.</translation>
    </message>
    <message>
        <source>No such seat: %1</source>
        <translation>Diesen Platz gibt es nicht: %1</translation>
    </message>
    <message>
        <source>Not available: %1</source>
        <translation>Nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Missed an update; asking the server for a fresh picture.</source>
        <translation>Eine Aktualisierung fehlte; hole den aktuellen Stand vom Server.</translation>
    </message>
    <message>
        <source>Loading events from %1…</source>
        <translation>Lade Veranstaltungen von %1…</translation>
    </message>
    <message>
        <source>Press F5 to try again.</source>
        <translation>F5 drücken, um es erneut zu versuchen.</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Lade %1…</translation>
    </message>
    <message>
        <source>The floor plan of this event cannot be shown: %1</source>
        <translation>Der Saalplan dieser Veranstaltung kann nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>Sale cancelled; the seats are free again.</source>
        <translation>Verkauf abgebrochen; die Plätze sind wieder frei.</translation>
    </message>
    <message>
        <source>Held %1 until %2.</source>
        <translation>%1 reserviert bis %2.</translation>
    </message>
    <message>
        <source>Seat %1 was just taken.</source>
        <translation>Platz %1 wurde gerade vergeben.</translation>
    </message>
    <message>
        <source>Seats %1 were just taken.</source>
        <translation>Die Plätze %1 wurden gerade vergeben.</translation>
    </message>
    <message>
        <source>Nothing was held; pick again.</source>
        <translation>Nichts wurde reserviert; bitte neu wählen.</translation>
    </message>
    <message>
        <source>Order %1 paid: %2</source>
        <translation>Bestellung %1 bezahlt: %2</translation>
    </message>
    <message>
        <source>Seat %1 was just taken and left the selection.</source>
        <translation>Platz %1 wurde gerade vergeben und aus der Auswahl entfernt.</translation>
    </message>
    <message>
        <source>Seats %1 were just taken and left the selection.</source>
        <translation>Die Plätze %1 wurden gerade vergeben und aus der Auswahl entfernt.</translation>
    </message>
    <message>
        <source>Connect to server</source>
        <translation>Mit Server verbinden</translation>
    </message>
    <message>
        <source>Server address (for example http://venue-pc:8080):</source>
        <translation>Serveradresse (zum Beispiel http://kassen-pc:8080):</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a server address.</source>
        <translation>„%1“ ist keine Serveradresse.</translation>
    </message>
    <message>
        <source>Last update %1 · version %2</source>
        <translation>Letzte Aktualisierung %1 · Version %2</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>This sale still holds seats. They stay held until their hold expires unless you cancel the sale first. Quit anyway?</source>
        <translation>Dieser Verkauf hält noch Plätze. Sie bleiben reserviert, bis die Reservierung abläuft, außer Sie brechen den Verkauf vorher ab. Trotzdem beenden?</translation>
    </message>
    <message>
        <source>HH:mm</source>
        <translation>HH:mm</translation>
    </message>
    <message>
        <source>Not enough places left (available: %1).</source>
        <translation>Nicht genug Plätze frei (verfügbar: %1).</translation>
    </message>
    <message>
        <source>Paid in cash: %1
Order %2
Ready for the next customer.</source>
        <translation>Bar bezahlt: %1
Bestellung %2
Bereit für den nächsten Kunden.</translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <extracomment>A general-admission hold: quantity × price category, e.g. &quot;3 × Standing&quot;</extracomment>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>tickets</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>HH:mm:ss</source>
        <translation>HH:mm:ss</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Sign in first, then press Sell again.</source>
        <translation>Bitte zuerst anmelden, dann erneut Verkaufen drücken.</translation>
    </message>
    <message>
        <source>Signed in: %1 (%2)</source>
        <translation>Angemeldet: %1 (%2)</translation>
    </message>
</context>
<context>
    <name>Marquee::EventChannel</name>
    <message>
        <source>The server does not know this event.</source>
        <translation>Der Server kennt diese Veranstaltung nicht.</translation>
    </message>
    <message>
        <source>The server stopped answering.</source>
        <translation>Der Server antwortet nicht mehr.</translation>
    </message>
</context>
<context>
    <name>Marquee::EventList</name>
    <message>
        <source>Events on sale. Arrow keys or the first letters pick one (Ctrl+E).</source>
        <translation>Veranstaltungen im Verkauf. Pfeiltasten oder die ersten Buchstaben wählen eine aus (Strg+E).</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <extracomment>Event date and time in the event list: %1 date, %2 time</extracomment>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>ddd d MMM yyyy</source>
        <translation>ddd d. MMM yyyy</translation>
    </message>
    <message>
        <source>Seated</source>
        <translation>Sitzplätze</translation>
    </message>
    <message>
        <source>General admission</source>
        <translation>Freie Platzwahl</translation>
    </message>
    <message>
        <source>No events on sale.</source>
        <translation>Keine Veranstaltungen im Verkauf.</translation>
    </message>
    <message>
        <source>HH:mm</source>
        <translation>HH:mm</translation>
    </message>
</context>
<context>
    <name>Marquee::GeneralAdmissionView</name>
    <message>
        <source>Share of places still available</source>
        <translation>Anteil der noch freien Plätze</translation>
    </message>
    <message>
        <source>Loading availability…</source>
        <translation>Lade Verfügbarkeit…</translation>
    </message>
    <message>
        <source>Sold out: all %1 places are taken.</source>
        <translation>Ausverkauft: alle %1 Plätze sind vergeben.</translation>
    </message>
    <message>
        <source>of %1 places available</source>
        <translation>von %1 Plätzen frei</translation>
    </message>
</context>
<context>
    <name>Marquee::Legend</name>
    <message>
        <source>%1 &lt;b&gt;%2&lt;/b&gt;</source>
        <comment>price category, price</comment>
        <translation>%1 &lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <source>%1 (rows %2)</source>
        <comment>price category, its rows</comment>
        <translation>%1 (Reihen %2)</translation>
    </message>
</context>
<context>
    <name>Marquee::MoneyFormat</name>
    <message>
        <source>%1 %2</source>
        <extracomment>Money: %1 is the amount, %2 the ISO currency code (EUR)</extracomment>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>Marquee::SalePanel</name>
    <message>
        <source>Selection</source>
        <translation>Auswahl</translation>
    </message>
    <message>
        <source>Held for this sale</source>
        <translation>Für diesen Verkauf reserviert</translation>
    </message>
    <message>
        <source>Type seats, e.g. A3 A4 or B1-B4</source>
        <translation>Plätze eingeben, z. B. A3 A4 oder B1-B4</translation>
    </message>
    <message>
        <source>Type seat labels and press Return to select them (Ctrl+L)</source>
        <translation>Platznummern eingeben und mit Eingabe auswählen (Strg+L)</translation>
    </message>
    <message>
        <source>Number of tickets (Ctrl+L). Esc sets it back to 0.</source>
        <translation>Anzahl der Tickets (Strg+L). Esc setzt sie auf 0 zurück.</translation>
    </message>
    <message>
        <source>Tickets:</source>
        <translation>Tickets:</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>To hold</source>
        <translation>Zu reservieren</translation>
    </message>
    <message>
        <source>No event open</source>
        <translation>Keine Veranstaltung geöffnet</translation>
    </message>
    <message>
        <source>Pick an event on the left (Ctrl+E).</source>
        <translation>Links eine Veranstaltung wählen (Strg+E).</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>Nichts ausgewählt</translation>
    </message>
    <message>
        <source>%1 of %2 available</source>
        <translation>%1 von %2 frei</translation>
    </message>
    <message>
        <source>Nothing held yet</source>
        <translation>Noch nichts reserviert</translation>
    </message>
</context>
<context>
    <name>Marquee::SaleSession</name>
    <message>
        <source>Nothing to sell yet: pick seats or a quantity first.</source>
        <translation>Noch nichts zu verkaufen: zuerst Plätze oder eine Anzahl wählen.</translation>
    </message>
    <message>
        <source>The holds of this sale have expired. Pick the seats again.</source>
        <translation>Die Reservierungen dieses Verkaufs sind abgelaufen. Bitte die Plätze neu wählen.</translation>
    </message>
    <message>
        <source>Part of this sale ran out before it was paid, so nothing was sold. Hold the missing seats again, then sell.</source>
        <translation>Ein Teil dieses Verkaufs ist abgelaufen, bevor bezahlt wurde; es wurde nichts verkauft. Die fehlenden Plätze erneut reservieren, dann verkaufen.</translation>
    </message>
    <message>
        <source>Your session has ended. Sign in again, then press Sell.</source>
        <translation>Die Sitzung ist beendet. Bitte neu anmelden, dann Verkaufen drücken.</translation>
    </message>
</context>
<context>
    <name>Marquee::SeatMapView</name>
    <message>
        <source>The floor plan cannot be drawn.</source>
        <translation>Der Saalplan kann nicht gezeichnet werden.</translation>
    </message>
</context>
<context>
    <name>Marquee::SeatPalette</name>
    <message>
        <source>Loading</source>
        <translation>Lädt</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Frei</translation>
    </message>
    <message>
        <source>Selected</source>
        <translation>Ausgewählt</translation>
    </message>
    <message>
        <source>In this sale</source>
        <translation>In diesem Verkauf</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>Reserviert</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Verkauft</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Gesperrt</translation>
    </message>
</context>
<context>
    <name>Marquee::SessionGuard</name>
    <message>
        <source>Your session has ended (it timed out, or it was ended on the server). Sign in again; the sale is kept.</source>
        <translation>Die Sitzung ist beendet (abgelaufen oder auf dem Server beendet). Bitte neu anmelden; der Verkauf bleibt erhalten.</translation>
    </message>
</context>
<context>
    <name>Marquee::SignInDialog</name>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Entsperren</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Anmelden</translation>
    </message>
    <message>
        <source>Terminal locked</source>
        <translation>Terminal gesperrt</translation>
    </message>
    <message>
        <source>Sign in to Marquee</source>
        <translation>Bei Marquee anmelden</translation>
    </message>
    <message>
        <source>Se&amp;rver:</source>
        <translation>Se&amp;rver:</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>The sale is kept. Enter your password to unlock the terminal.</source>
        <translation>Der Verkauf bleibt erhalten. Zum Entsperren das Passwort eingeben.</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Ab&amp;melden</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Not a server address: %1</source>
        <translation>Keine Serveradresse: %1</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>Bitte Benutzername und Passwort eingeben.</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Falscher Benutzername oder falsches Passwort.</translation>
    </message>
    <message>
        <source>Not signed in: the server&apos;s certificate is not trusted.</source>
        <translation>Nicht angemeldet: Dem Zertifikat des Servers wird nicht vertraut.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Marquee box-office counter</source>
        <translation>Marquee Kasse für den Kartenverkauf</translation>
    </message>
    <message>
        <source>Server address, remembered for next time.</source>
        <translation>Serveradresse, wird für das nächste Mal gespeichert.</translation>
    </message>
    <message>
        <source>Not a server address: %1</source>
        <translation>Keine Serveradresse: %1</translation>
    </message>
</context>
</TS>
