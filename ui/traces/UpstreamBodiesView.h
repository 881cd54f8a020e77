// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QWidget>

class QComboBox;
class QLabel;
class QSplitter;
class QToolButton;

namespace Switchyard {

class DiffView;
class JsonBodyView;

// What each attempt sent upstream. When that differs from what the client sent (a translated
// dialect, a rewritten model), the two are shown side by side.
class UpstreamBodiesView final : public QWidget
{
    Q_OBJECT
public:
    explicit UpstreamBodiesView(QWidget *parent = nullptr);

    void setCall(const CallRecord &record);
    void setPlaceholder(const QString &text);
    void selectAttempt(int index);

    int attemptCount() const;
    bool showsSideBySide() const;
    JsonBodyView *clientView() const { return m_client; }
    JsonBodyView *upstreamView() const { return m_upstream; }
    // The client's body against the attempt's, as one line diff instead of side by side.
    void showDiff(bool diff);
    bool showsDiff() const;
    DiffView *diffView() const { return m_diff; }

private:
    void showAttempt(int index);

    CallRecord m_record;
    QComboBox *m_attempts;
    QLabel *m_note;
    QSplitter *m_splitter;
    JsonBodyView *m_client;
    JsonBodyView *m_upstream;
    DiffView *m_diff;
    QToolButton *m_diffButton;
};

} // namespace Switchyard
