#pragma once

#include "PaymentProvider.h"

#include <memory>
#include <vector>

namespace Marquee {

/// The providers this server takes payments through, by name. The first
/// one added gets new payments; the others still verify their reports
/// (a venue switching providers has payments open at the old one).
class PaymentProviders
{
public:
    void add(std::unique_ptr<PaymentProvider> provider);
    const PaymentProvider *find(const QString &name) const;
    const PaymentProvider &current() const;

private:
    std::vector<std::unique_ptr<PaymentProvider>> m_providers;
};

} // namespace Marquee
