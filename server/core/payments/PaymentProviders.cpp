#include "PaymentProviders.h"

namespace Marquee {

void PaymentProviders::add(std::unique_ptr<PaymentProvider> provider)
{
    m_providers.push_back(std::move(provider));
}

const PaymentProvider *PaymentProviders::find(const QString &name) const
{
    for (const auto &provider : m_providers) {
        if (provider->name() == name)
            return provider.get();
    }
    return nullptr;
}

const PaymentProvider &PaymentProviders::current() const
{
    Q_ASSERT(!m_providers.empty());
    return *m_providers.front();
}

} // namespace Marquee
