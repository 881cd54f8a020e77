// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/eval/EvaluationReport.h"
#include <QTabWidget>

class QLabel;
class QPlainTextEdit;

namespace Switchyard {

class DiffView;

// One evaluated request's two answers: side by side ("Recorded answer (provider/model)" and
// "Candidate answer (…)"), and as a diff in a second tab.
class EvaluationAnswersView final : public QTabWidget
{
    Q_OBJECT
public:
    explicit EvaluationAnswersView(QWidget *parent = nullptr);

    // nullptr: nothing selected. Panes whose text did not change keep their scroll position
    // (a running evaluation reports every 250 ms).
    void showRequest(const EvaluatedRequest *request);
    QPlainTextEdit *original() const { return m_original; }
    QPlainTextEdit *candidate() const { return m_candidate; }
    QString originalTitle() const;
    QString candidateTitle() const;
    DiffView *diff() const { return m_diff; }

private:
    QLabel *m_originalTitle;
    QLabel *m_candidateTitle;
    QPlainTextEdit *m_original;
    QPlainTextEdit *m_candidate;
    DiffView *m_diff;
};

} // namespace Switchyard
