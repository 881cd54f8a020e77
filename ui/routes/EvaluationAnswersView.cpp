// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/EvaluationAnswersView.h"
#include "ui/routes/EvaluationFormat.h"
#include "ui/traces/DiffView.h"
#include "ui/traces/TraceFormat.h"
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>

namespace Switchyard {

EvaluationAnswersView::EvaluationAnswersView(QWidget *parent)
    : QTabWidget(parent)
    , m_originalTitle(new QLabel(this))
    , m_candidateTitle(new QLabel(this))
    , m_original(new QPlainTextEdit(this))
    , m_candidate(new QPlainTextEdit(this))
    , m_diff(new DiffView(this))
{
    auto *sides = new QWidget(this);
    auto *layout = new QGridLayout(sides);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_originalTitle, 0, 0);
    layout->addWidget(m_candidateTitle, 0, 1);
    layout->addWidget(m_original, 1, 0);
    layout->addWidget(m_candidate, 1, 1);
    for (QPlainTextEdit *edit : {m_original, m_candidate})
        edit->setReadOnly(true);
    addTab(sides, tr("Answers side by side"));
    addTab(m_diff, tr("Diff"));
    showRequest(nullptr);
}

QString EvaluationAnswersView::originalTitle() const
{
    return m_originalTitle->text();
}

QString EvaluationAnswersView::candidateTitle() const
{
    return m_candidateTitle->text();
}

void EvaluationAnswersView::showRequest(const EvaluatedRequest *request)
{
    const auto target = [](const EvaluatedCall &c) {
        return c.provider.isEmpty() ? tr("no target") : TraceFormat::target(c.provider, c.model);
    };
    const bool replayed = request && request->candidate;
    m_originalTitle->setText(request ? tr("Recorded answer (%1)").arg(target(request->original)) : tr("Recorded answer"));
    m_candidateTitle->setText(replayed ? tr("Candidate answer (%1)").arg(target(*request->candidate)) : tr("Candidate answer"));
    const QString before = request ? EvaluationFormat::answer(request->original) : QString();
    const QString after = replayed ? EvaluationFormat::answer(*request->candidate) : request ? tr("(not replayed yet)") : QString();
    if (m_original->toPlainText() == before && m_candidate->toPlainText() == after)
        return;
    if (m_original->toPlainText() != before)
        m_original->setPlainText(before);
    if (m_candidate->toPlainText() != after)
        m_candidate->setPlainText(after);
    m_diff->setBodies(before.toUtf8(), replayed ? after.toUtf8() : QByteArray());
}

} // namespace Switchyard
