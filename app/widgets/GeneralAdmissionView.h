#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;

namespace Marquee {

class AvailabilityModel;

/// The centre of the window for a general-admission event: how many places
/// are left, in type large enough to read from across the counter.
class GeneralAdmissionView : public QWidget
{
    Q_OBJECT

public:
    explicit GeneralAdmissionView(QWidget *parent = nullptr);

    /// Follows \a model's counts; the model must outlive the view.
    void setModel(AvailabilityModel *model);
    void setEventName(const QString &name);

private:
    void refresh();

    AvailabilityModel *m_model = nullptr;
    QLabel *m_name;
    QLabel *m_count;
    QLabel *m_caption;
    QProgressBar *m_meter;
};

} // namespace Marquee
