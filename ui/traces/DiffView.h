// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/LineDiff.h"
#include <QPlainTextEdit>

namespace Switchyard {

// Two bodies as one unified diff: removed lines red with "-", added lines green with "+",
// with a caption naming both sides and counting the changes.
class DiffView final : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit DiffView(QWidget *parent = nullptr);

    void setBodies(const QByteArray &before, const QByteArray &after);
    int removedCount() const { return m_removed; }
    int addedCount() const { return m_added; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void paintMarks();

    QList<LineDiff::Line> m_lines;
    int m_removed = 0;
    int m_added = 0;
};

} // namespace Switchyard
