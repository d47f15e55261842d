#include "GeneralAdmissionView.h"

#include "model/AvailabilityModel.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QVBoxLayout>

namespace Marquee {

GeneralAdmissionView::GeneralAdmissionView(QWidget *parent)
    : QWidget(parent)
    , m_name(new QLabel(this))
    , m_count(new QLabel(this))
    , m_caption(new QLabel(this))
    , m_meter(new QProgressBar(this))
{
    QFont nameFont = font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.3);
    m_name->setFont(nameFont);
    m_name->setAlignment(Qt::AlignCenter);
    m_name->setWordWrap(true);

    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 4.5);
    big.setBold(true);
    m_count->setFont(big);
    m_count->setAlignment(Qt::AlignCenter);

    m_caption->setAlignment(Qt::AlignCenter);
    m_meter->setTextVisible(false);
    m_meter->setFixedWidth(360);
    m_meter->setFixedHeight(10);
    m_meter->setToolTip(tr("Share of places still available"));

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(m_name);
    layout->addSpacing(12);
    layout->addWidget(m_count);
    layout->addWidget(m_caption);
    layout->addSpacing(12);
    layout->addWidget(m_meter, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    refresh();
}

void GeneralAdmissionView::setModel(AvailabilityModel *model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    if (m_model) {
        connect(m_model, &AvailabilityModel::countsChanged, this, &GeneralAdmissionView::refresh);
        connect(m_model, &AvailabilityModel::cleared, this, &GeneralAdmissionView::refresh);
        connect(m_model, &AvailabilityModel::updated, this, &GeneralAdmissionView::refresh);
    }
    refresh();
}

void GeneralAdmissionView::setEventName(const QString &name)
{
    m_name->setText(name);
}

void GeneralAdmissionView::refresh()
{
    if (!m_model || !m_model->hasSnapshot()) {
        m_count->setText(QStringLiteral("…"));
        m_caption->setText(tr("Loading availability…"));
        m_meter->setRange(0, 0);
        return;
    }
    const QLocale locale;
    m_count->setText(locale.toString(m_model->available()));
    m_caption->setText(m_model->available() == 0
            ? tr("Sold out: all %1 places are taken.").arg(locale.toString(m_model->capacity()))
            : tr("of %1 places available").arg(locale.toString(m_model->capacity())));
    m_meter->setRange(0, qMax(1, m_model->capacity()));
    m_meter->setValue(m_model->available());
}

} // namespace Marquee
