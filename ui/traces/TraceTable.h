// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QTableView>

namespace Switchyard {

// The Traces table: fixed widths (in digits) for the short columns, and the target column
// taking what is left, so the error column stays in view down to a 1024-pixel window.
class TraceTable final : public QTableView
{
    Q_OBJECT
public:
    explicit TraceTable(QWidget *parent = nullptr);
    void fitColumns();

protected:
    void resizeEvent(QResizeEvent *event) override;
};

} // namespace Switchyard
