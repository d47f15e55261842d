#include "PaymentSetup.h"

#include "TestProvider.h"

namespace Marquee {

PaymentSetup::PaymentSetup() = default;

PaymentSetup::~PaymentSetup() = default;

void PaymentSetup::load(const QByteArray &linkSecret, const QByteArray &testProviderSecret)
{
    m_links.emplace(linkSecret);
    auto test = std::make_unique<TestProvider>(testProviderSecret);
    m_test = test.get();
    m_providers.add(std::move(test));
}

} // namespace Marquee
