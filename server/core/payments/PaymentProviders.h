#pragma once

#include "PaymentProvider.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace Marquee {

/// The providers this server takes payments through, by name. The first
/// one added gets new payments unless another is made current; the others
/// still verify their reports and give refunds (a venue switching
/// providers has payments open at the old one).
class PaymentProviders
{
public:
    void add(std::unique_ptr<PaymentProvider> provider);
    const PaymentProvider *find(const QString &name) const;
    const PaymentProvider &current() const;
    QStringList names() const;
    /// New payments go to provider \a name; false (and no change) when
    /// there is none of that name.
    bool makeCurrent(const QString &name);

private:
    std::vector<std::unique_ptr<PaymentProvider>> m_providers;
};

} // namespace Marquee
