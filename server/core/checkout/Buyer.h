#pragma once

#include <QString>

namespace Marquee {

/// Who buys online: the order's name and where its tickets are sent.
struct Buyer
{
    QString name;
    QString email;

    /// Empty when fine, else what is wrong, for the buyer to read.
    static QString nameProblem(const QString &name);
    static QString emailProblem(const QString &email);
};

} // namespace Marquee
