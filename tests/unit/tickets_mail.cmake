# Tickets (QR, painter, PDF) and e-mail (SMTP through libcurl).
marquee_add_test(tst_tickets SOURCES tst_tickets.cpp LIBRARIES marquee_tickets LABELS unit)
marquee_add_test(tst_mailer SOURCES tst_mailer.cpp LIBRARIES marquee_mail marquee_test_support LABELS unit)
