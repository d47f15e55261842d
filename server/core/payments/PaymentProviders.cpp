#include "PaymentProviders.h"

#include <algorithm>

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

QStringList PaymentProviders::names() const
{
    QStringList names;
    for (const auto &provider : m_providers)
        names.append(provider->name());
    return names;
}

bool PaymentProviders::makeCurrent(const QString &name)
{
    const auto found = std::find_if(m_providers.begin(), m_providers.end(),
        [&name](const auto &provider) { return provider->name() == name; });
    if (found == m_providers.end())
        return false;
    std::rotate(m_providers.begin(), found, found + 1);
    return true;
}

const PaymentProvider &PaymentProviders::current() const
{
    Q_ASSERT(!m_providers.empty());
    return *m_providers.front();
}

} // namespace Marquee
